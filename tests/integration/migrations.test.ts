import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eq } from "drizzle-orm";
import { createDb, type Db } from "@/db/connect";
import { pendingMigrations } from "@/db/migration-status";
import { clusters, organizations } from "@/db/schema";
import { startScheduler, tickSecondsFor } from "@/lib/clusters/scheduler";
import { createTestDatabase } from "../support/test-database";

let db: Db;
let orgId: string;
beforeAll(async () => {
  db = createDb(inject("databaseUrl"), 2);
  const [org] = await db.insert(organizations).values({ slug: "scheduler-test", name: "Scheduler" }).returning();
  orgId = org!.id;
});
afterAll(async () => {
  await db.delete(organizations).where(eq(organizations.id, orgId));
  await db.$client.end();
});

describe("the sync scheduler", () => {
  it("looks for due clusters every tenth of the interval, between 1 s and a minute", () => {
    expect(tickSecondsFor(600)).toBe(60);
    expect(tickSecondsFor(300)).toBe(30);
    expect(tickSecondsFor(2)).toBe(1);
  });

  it("syncs a due cluster at start, then again once its last sync is older than the interval", async () => {
    await db.insert(clusters).values({ orgId, slug: "due", name: "due", metricsKind: "prometheus", prometheusUrl: "http://127.0.0.1:1" });
    await db.insert(clusters).values({ orgId, slug: "fresh", name: "fresh", metricsKind: "prometheus", prometheusUrl: "http://127.0.0.1:1", lastSyncAt: new Date(Date.now() + 3_600_000) });
    const calls: { slug: string; at: number }[] = [];
    const t0 = Date.now();
    const stop = startScheduler({
      db, intervalSeconds: 2,
      sync: async (c) => {
        if (c.orgId !== orgId) return;
        calls.push({ slug: c.slug, at: Date.now() - t0 });
        await db.update(clusters).set({ lastSyncAt: new Date() }).where(eq(clusters.slug, c.slug));
      },
    });
    try {
      await new Promise((r) => setTimeout(r, 4_500));
    } finally {
      await stop();
    }
    const due = calls.filter((c) => c.slug === "due");
    expect(calls.some((c) => c.slug === "fresh")).toBe(false);
    expect(due.length).toBeGreaterThanOrEqual(2);
    expect(due[0]!.at).toBeLessThan(1_000); // at start, not an interval later
    expect(due[1]!.at - due[0]!.at).toBeGreaterThanOrEqual(2_000); // not before its interval
  });

  it("a failing sync is logged and the others still run", async () => {
    await db.update(clusters).set({ lastSyncAt: null }).where(eq(clusters.orgId, orgId));
    const logs: string[] = [];
    const synced: string[] = [];
    const stop = startScheduler({
      db, intervalSeconds: 600, log: (m) => logs.push(m),
      sync: async (c) => {
        if (c.orgId !== orgId) return;
        if (c.slug === "due") throw new Error("Prometheus at http://127.0.0.1:1 refused the connection");
        synced.push(c.slug);
      },
    });
    await new Promise((r) => setTimeout(r, 800));
    await stop();
    expect(logs.some((l) => l.includes("scheduler-test/due") && l.includes("refused the connection"))).toBe(true);
    expect(synced).toEqual(["fresh"]);
  });
});

describe("migrations", () => {
  it("npm run db:migrate applies what is pending to DATABASE_URL, and says when nothing is", async () => {
    const fresh = await createTestDatabase();
    const fdb = createDb(fresh.url, 1);
    try {
      const before = await pendingMigrations(fdb);
      expect(before[0]).toBe("0000_init");
      const run = () => spawnSync(path.join("node_modules", ".bin", "tsx"), ["scripts/db-migrate.ts"], { env: { ...process.env, DATABASE_URL: fresh.url }, encoding: "utf8" });
      const first = run();
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toContain(`Applied ${before.length} migration`);
      expect(await pendingMigrations(fdb)).toEqual([]);
      const again = run();
      expect(again.stdout).toContain("up to date");
    } finally {
      await fdb.$client.end();
      await fresh.drop();
    }
  });

  it("db:migrate without DATABASE_URL is an error with exit 2", () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const r = spawnSync(path.join("node_modules", ".bin", "tsx"), ["scripts/db-migrate.ts"], { env, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: DATABASE_URL is not set/);
  });
});
