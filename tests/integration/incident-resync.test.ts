import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { createDb, migrateDb, type Db } from "@/db/connect";
import { clusters, incidents, organizations, workloads } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { syncIncidents } from "@/lib/inventory/store";
import { createTestDatabase } from "../support/test-database";

const NOW = 1_764_900_000;
const H = 3600;
const D = 86_400;
const WINDOW = 30 * D;

let db: Db;
let ids: { orgId: string; clusterId: string; workloadId: string };

beforeAll(async () => {
  db = createDb(inject("databaseUrl"), 2);
  const [org] = await db.insert(organizations).values({ slug: "resync-test", name: "Resync" }).returning();
  const [cluster] = await db.insert(clusters).values({ orgId: org!.id, slug: "c1", name: "c1" }).returning();
  const [workload] = await db.insert(workloads).values({ orgId: org!.id, clusterId: cluster!.id, kind: "Deployment", namespace: "ns", name: "api" }).returning();
  ids = { orgId: org!.id, clusterId: cluster!.id, workloadId: workload!.id };
});
afterAll(async () => {
  await db.delete(organizations).where(eq(organizations.id, ids.orgId));
  await db.$client.end();
});

// an incident whose kills began 35 days ago and stopped 12 days ago (resolved), and one still going
const KILLS = [
  ...Array.from({ length: 93 }, (_, i) => NOW - 35 * D + i * 6 * H), // every 6 h until NOW - 12 d
  ...Array.from({ length: 17 }, (_, i) => NOW - 4 * D + i * 6 * H), // every 6 h since NOW - 4 d
];

/** What a sync at `now` does: it sees the kills of its 30-day window only. */
const syncAt = (now: number) =>
  syncIncidents(db, { ...ids, container: "app", now, kills: KILLS.filter((t) => t >= now - WINDOW && t <= now) });

const list = () => db.select().from(incidents).where(and(eq(incidents.orgId, ids.orgId), eq(incidents.containerName, "app"))).orderBy(asc(incidents.firstSeenAt));

describe("a sync run again later keeps the same incidents", () => {
  it("at t, t + 2 h and t + 3 d: two incidents, the first keeps its first kill and its count", async () => {
    expect(await syncAt(NOW)).toBe(2);
    const before = await list();
    expect(before.map((i) => i.status)).toEqual(["resolved", "open"]);
    for (const later of [NOW + 2 * H, NOW + 3 * D]) {
      expect(await syncAt(later)).toBe(0);
      const after = await list();
      expect(after).toHaveLength(2);
      expect(after[0]!.firstSeenAt).toEqual(before[0]!.firstSeenAt);
      expect(after[0]!.oomCount).toBe(before[0]!.oomCount);
      expect(after[1]!.firstSeenAt).toEqual(before[1]!.firstSeenAt);
    }
  });
});

describe("the demo rerun on a later day", () => {
  it("adds the new kills to the incidents it has, never a second incident for the same kills", async () => {
    const fresh = await createTestDatabase();
    const demo = createDb(fresh.url, 2);
    try {
      await migrateDb(demo);
      await seedDemo(demo, { now: NOW });
      const first = await demo.select().from(incidents);
      await seedDemo(demo, { now: NOW + 3 * D });
      const second = await demo.select().from(incidents);
      // per container, no two incidents' kills would group together (within a quiet week)
      const byContainer = new Map<string, typeof second>();
      for (const i of second) byContainer.set(`${i.workloadId}/${i.containerName}`, [...(byContainer.get(`${i.workloadId}/${i.containerName}`) ?? []), i]);
      for (const list of byContainer.values()) {
        const sorted = [...list].sort((a, b) => a.firstSeenAt.getTime() - b.firstSeenAt.getTime());
        for (let k = 1; k < sorted.length; k++) expect(sorted[k]!.firstSeenAt.getTime() - sorted[k - 1]!.lastSeenAt.getTime()).toBeGreaterThan(7 * D * 1000);
      }
      // every incident of the first run is still there with the same first kill
      for (const i of first) expect(second.some((j) => j.id === i.id && j.firstSeenAt.getTime() === i.firstSeenAt.getTime())).toBe(true);
    } finally {
      await demo.$client.end();
      await fresh.drop();
    }
  });
});
