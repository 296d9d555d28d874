// Runs once when the Next.js server starts: refuses to serve an unmigrated database, then starts the sync scheduler.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.DATABASE_URL) return;
  const { getDb } = await import("./db/client");
  const { pendingMigrations } = await import("./db/migration-status");
  const db = getDb();
  const pending = await pendingMigrations(db).catch((e: unknown) => {
    console.error(`error: cannot read the database's migrations: ${(e as Error).message}`);
    return null;
  });
  if (pending && pending.length > 0) {
    console.error(`error: the database is not migrated (${pending.length} pending: ${pending.join(", ")}). Run \`npm run db:migrate\` with the same DATABASE_URL, then start Headroom again.`);
    process.exit(1);
  }
  const { startScheduler } = await import("./lib/clusters/scheduler");
  const { syncNow } = await import("./lib/clusters/manage");
  startScheduler({ db, intervalSeconds: Number(process.env.HEADROOM_SYNC_INTERVAL_SECONDS ?? 600), sync: (c) => syncNow(db, c) });
}
