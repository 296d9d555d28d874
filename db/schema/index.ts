export * from "./orgs";
export * from "./inventory";
export * from "./incidents";
export * from "./access";
export * from "./alerts";
