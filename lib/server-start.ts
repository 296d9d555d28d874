import { getDb } from "@/db/client";
import { pendingMigrations } from "@/db/migration-status";
import { startServerJobs } from "@/lib/jobs/server";

/** At server start (Node.js only): refuse to serve an unmigrated database, then start the job queue's workers (lib/jobs). */
export async function startServer(): Promise<void> {
  if (!process.env.DATABASE_URL) return;
  const db = getDb();
  const pending = await pendingMigrations(db).catch((e: unknown) => {
    // an unreachable database is reported by /api/health (503); the server still starts
    console.error(`error: cannot read the database's migrations: ${(e as Error).message}`);
    return null;
  });
  if (pending && pending.length > 0) {
    console.error(`error: the database is not migrated (${pending.length} pending: ${pending.join(", ")}). Run \`npm run db:migrate\` with the same DATABASE_URL, then start Headroom again.`);
    process.exit(1);
  }
  // not awaited: the pages need not wait for pg-boss to create or migrate its schema
  void startServerJobs(db, process.env.DATABASE_URL).catch((e: unknown) => {
    // scheduled syncs wait for the database; pages and "Sync now" still work
    console.error(`error: the job queue did not start: ${(e as Error).message}`);
  });
}
