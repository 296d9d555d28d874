// npm run db:migrate — applies the committed migrations to DATABASE_URL (a production start never migrates by itself).
import { createDb, migrateDb } from "@/db/connect";
import { pendingMigrations } from "@/db/migration-status";

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write("error: DATABASE_URL is not set: npm run db:migrate applies the migrations to the database it names\n");
  process.exit(2);
}
const db = createDb(url, 1);
try {
  const pending = await pendingMigrations(db);
  if (pending.length === 0) {
    console.log("The database is up to date: nothing to apply.");
  } else {
    await migrateDb(db);
    console.log(`Applied ${pending.length} migration${pending.length === 1 ? "" : "s"}: ${pending.join(", ")}`);
  }
} catch (e) {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await db.$client.end();
}
