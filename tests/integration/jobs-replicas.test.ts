import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import { createDb, type Db } from "@/db/connect";
import { clusters, organizations } from "@/db/schema";

// Two app replicas as two Node processes, each with its own pool and queue workers, on one database.
const INTERVAL_SECONDS = 2;
const RUN_MS = 7_500;

let db: Db;
const orgIds: string[] = [];
beforeAll(async () => {
  db = createDb(inject("databaseUrl"), 2);
  await db.execute(sql`CREATE TABLE IF NOT EXISTS test_sync_runs (id serial PRIMARY KEY, cluster_id uuid NOT NULL, replica text NOT NULL, started_at timestamptz NOT NULL, ended_at timestamptz)`);
  for (const slug of ["replicas-a", "replicas-b"]) {
    const [org] = await db.insert(organizations).values({ slug, name: slug }).returning();
    orgIds.push(org!.id);
    await db.insert(clusters).values([1, 2, 3, 4].map((i) => ({ orgId: org!.id, slug: `c${i}`, name: `c${i}`, metricsKind: "prometheus" as const, prometheusUrl: "http://127.0.0.1:1" })));
  }
});
afterAll(async () => {
  await db.execute(sql`DROP TABLE IF EXISTS test_sync_runs`);
  if (orgIds.length) await db.delete(organizations).where(inArray(organizations.id, orgIds));
  await db.$client.end();
});

function startReplica(name: string): Promise<ChildProcess> {
  // node itself with tsx as a loader, not the tsx CLI: the CLI relays SIGTERM to its child and, when the child
  // does not acknowledge it within 30 ms (a loaded machine), kills it and exits 143 — the test's own flake
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/jobs-replica.ts"], {
    env: { ...process.env, DATABASE_URL: inject("databaseUrl"), REPLICA: name, INTERVAL_SECONDS: String(INTERVAL_SECONDS), SYNC_MS: "400", ORG_IDS: orgIds.join(",") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => c.toString().includes("ready") && resolve(child));
    child.once("exit", (code) => reject(new Error(`${name} exited (${code}): ${err}`)));
  });
}

const stopReplica = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });

describe("two app replicas sharing one database", () => {
  it("run each scheduled sync exactly once: never the same cluster twice in one interval, and both share the work", async () => {
    const replicas = await Promise.all([startReplica("one"), startReplica("two")]);
    await new Promise((r) => setTimeout(r, RUN_MS));
    const codes = await Promise.all(replicas.map(stopReplica));
    expect(codes).toEqual([0, 0]); // both stop cleanly on SIGTERM

    const ours = await db.select({ id: clusters.id, lastSyncAt: clusters.lastSyncAt }).from(clusters).where(inArray(clusters.orgId, orgIds));
    const { rows } = await db.execute<{ cluster_id: string; replica: string; started_at: string; ended_at: string | null }>(sql`SELECT cluster_id, replica, started_at, ended_at FROM test_sync_runs ORDER BY started_at`);
    const runs = rows.map((r) => ({ cluster: r.cluster_id, replica: r.replica, start: new Date(r.started_at).getTime(), end: r.ended_at ? new Date(r.ended_at).getTime() : null }));
    for (const c of ours) {
      const mine = runs.filter((r) => r.cluster === c.id);
      // synced at start and again once its last sync is an interval old
      expect(mine.length, c.id).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < mine.length; i++) {
        // the next run starts only once the previous one has finished and its last sync is an interval old
        expect(mine[i - 1]!.end, c.id).not.toBeNull();
        expect(mine[i]!.start - mine[i - 1]!.end!, c.id).toBeGreaterThanOrEqual(INTERVAL_SECONDS * 1000 - 50);
      }
      // every run that finished is the cluster's last sync or an earlier one: none was lost or doubled
      const last = mine.filter((r) => r.end !== null).at(-1)!;
      // (the same instant, read through two parsers: at most a millisecond of rounding between them)
      expect(Math.abs(c.lastSyncAt!.getTime() - last.end!), c.id).toBeLessThanOrEqual(1);
    }
    expect(new Set(runs.map((r) => r.replica))).toEqual(new Set(["one", "two"]));
    // the queue recorded one completed job per run, each run by exactly one replica
    const { rows: done } = await db.execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'cluster.sync' AND state = 'completed' AND data->>'orgId' IN (${sql.join(orgIds.map((id) => sql`${id}`), sql`, `)})`);
    expect(Number(done[0]!.n)).toBe(runs.filter((r) => r.end !== null).length);
    expect((await db.select().from(clusters).where(eq(clusters.orgId, orgIds[0]!))).length).toBe(4);
  }, 60_000);
});
