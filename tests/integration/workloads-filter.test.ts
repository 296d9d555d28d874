import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { and, eq, ne } from "drizzle-orm";
import { createDb, type Db } from "@/db/connect";
import { incidents, workloads } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { getCluster } from "@/lib/queries/clusters";
import { listWorkloads } from "@/lib/queries/workloads";
import { listWorkloadsQuery } from "@/lib/schemas/lists";

const NOW = 1_764_900_000;
let db: Db;
let orgId: string;
beforeAll(async () => {
  db = createDb(inject("databaseUrl"), 2);
  orgId = (await seedDemo(db, { now: NOW })).orgId;
});
afterAll(async () => {
  await db.$client.end();
});

describe("the workloads table's verdict filter and page size", () => {
  it("shows each workload's unresolved incident's verdict and filters by it", async () => {
    const now = new Date(NOW * 1000);
    const cluster = (await getCluster(db, { orgId, slug: "prod-eu", now }))!;
    const list = (q: Record<string, string>) => listWorkloads(db, { orgId, clusterId: cluster.id, now, ...listWorkloadsQuery.parse(q) });
    const all = await list({ pageSize: "200" });
    // what the incidents table holds is what the column says
    const open = await db
      .select({ name: workloads.name, pattern: incidents.pattern, lastSeenAt: incidents.lastSeenAt })
      .from(incidents)
      .innerJoin(workloads, eq(workloads.id, incidents.workloadId))
      .where(and(eq(incidents.clusterId, cluster.id), ne(incidents.status, "resolved")));
    const leaks = open.filter((i) => i.pattern === "leak").map((i) => i.name).sort();
    expect(leaks).toContain("payments-api");
    expect(all.rows.find((w) => w.name === "payments-api")!.pattern).toBe("leak");
    expect(all.rows.find((w) => w.name === "ledger-writer")!.pattern).toBeNull();

    const onlyLeaks = await list({ pattern: "leak", pageSize: "200" });
    expect(onlyLeaks.rows.map((w) => w.name).sort()).toEqual([...new Set(leaks)]);
    expect(onlyLeaks.total).toBe(onlyLeaks.rows.length);
    // combined with the text filter and the namespace
    expect((await list({ pattern: "leak", q: "payments" })).rows.map((w) => w.name)).toEqual(["payments-api"]);
    expect((await list({ pattern: "leak", namespace: "checkout" })).rows).toEqual([]);
    expect(listWorkloadsQuery.safeParse({ pattern: "bogus" }).success).toBe(false);

    // page size: 5 rows a page, the total unchanged
    const page = await list({ pageSize: "5", sort: "name", dir: "asc" });
    expect(page.rows).toHaveLength(5);
    expect(page.total).toBe(all.total);
    expect(page.rows.map((w) => w.name)).toEqual([...all.rows.map((w) => w.name)].sort().slice(0, 5));
  });
});
