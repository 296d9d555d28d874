import { getDb } from "@/db/client";
import { pendingMigrations } from "@/db/migration-status";
import { syncNow } from "@/lib/clusters/manage";
import { startScheduler } from "@/lib/clusters/scheduler";

/** At server start (Node.js only): refuse to serve an unmigrated database, then start the sync scheduler. */
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
  startScheduler({ db, intervalSeconds: Number(process.env.HEADROOM_SYNC_INTERVAL_SECONDS ?? 600), sync: (c) => syncNow(db, c) });
}
