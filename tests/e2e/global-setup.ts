import fs from "node:fs";
import { createDb, migrateDb } from "@/db/connect";
import { seedDemo } from "@/db/seed/demo";
import { buildApp, startApp } from "../../scripts/lib/app-server";
import { createTestDatabase } from "../support/test-database";
import { seedOtherOrg } from "../support/orgs";

/** A real Postgres with the demo and a second organization, and the production build of the app serving it. */
export default async function globalSetup() {
  if (!fs.existsSync("/usr/bin/chromium")) throw new Error("Debian's chromium is missing: apt-get install -y chromium (npm test installs it when run as root)");
  const database = await createTestDatabase();
  const db = createDb(database.url, 2);
  await migrateDb(db);
  await seedDemo(db, { now: Date.now() / 1000 });
  await seedOtherOrg(db);
  await db.$client.end();
  buildApp({ quiet: true });
  const app = await startApp({ databaseUrl: database.url, port: Number(process.env.E2E_PORT), secret: "e2e-secret-not-for-production", quiet: true });
  process.env.E2E_DATABASE_URL = database.url;
  return async () => {
    await app.stop();
    await database.drop();
  };
}
