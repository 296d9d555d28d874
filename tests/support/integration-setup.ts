import type { TestProject } from "vitest/node";
import { createDb, migrateDb } from "@/db/connect";
import { createTestDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** Starts one real Postgres for the integration suite and applies the migrations. */
export default async function setup(project: TestProject) {
  const database = await createTestDatabase();
  const db = createDb(database.url, 2);
  await migrateDb(db);
  await db.$client.end();
  project.provide("databaseUrl", database.url);
  return async () => {
    await database.drop();
  };
}
