export * from "./source";
