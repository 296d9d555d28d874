// One app replica's queue, as its own Node process, for the exactly-once test (tests/integration/jobs-replicas.test.ts).
// Its sync records each execution in test_sync_runs (a table of the test's) and marks the cluster synced.
// Env: DATABASE_URL, REPLICA (a name), INTERVAL_SECONDS, SYNC_MS, ORG_IDS (the test's organizations: other
// suites' clusters in the same database are left alone). Prints "ready" once started; SIGTERM stops it.
import { sql } from "drizzle-orm";
import { createDb } from "@/db/connect";
import { startJobs } from "@/lib/jobs/queue";

const url = process.env.DATABASE_URL!;
const replica = process.env.REPLICA ?? "replica";
const syncMs = Number(process.env.SYNC_MS ?? 300);
const db = createDb(url, 6);
const orgIds = new Set((process.env.ORG_IDS ?? "").split(",").filter(Boolean));

const jobs = await startJobs({
  db, databaseUrl: url,
  intervalSeconds: Number(process.env.INTERVAL_SECONDS ?? 2),
  concurrency: 2, perOrg: 2, pollSeconds: 0.5, syncTimeoutSeconds: 30,
  log: (m) => console.error(`[${replica}] ${m}`),
  sync: async (c) => {
    if (!orgIds.has(c.orgId)) return { skipped: true };
    const { rows } = await db.execute<{ id: number }>(sql`INSERT INTO test_sync_runs (cluster_id, replica, started_at) VALUES (${c.clusterId}, ${replica}, clock_timestamp()) RETURNING id`);
    await new Promise((r) => setTimeout(r, syncMs));
    // one statement, one instant: the cluster's last sync and the run's end are the same time (two statements
    // drifted apart by more than the test's 50 ms on a loaded machine)
    await db.execute(sql`
      WITH t AS (SELECT clock_timestamp() AS at),
           c AS (UPDATE clusters SET last_sync_at = (SELECT at FROM t) WHERE id = ${c.clusterId} AND org_id = ${c.orgId})
      UPDATE test_sync_runs SET ended_at = (SELECT at FROM t) WHERE id = ${rows[0]!.id}`);
    return { replica };
  },
});
console.log("ready");

process.once("SIGTERM", () => {
  void jobs
    .stop(5_000)
    .then(() => db.$client.end())
    .then(() => process.exit(0), () => process.exit(1));
});
