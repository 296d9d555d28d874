import { describe, expect, it } from "vitest";
import { pageClusters, type ClusterListRow } from "@/lib/clusters/list-page";
import { listClustersQuery } from "@/lib/schemas/lists";

const row = (name: string, o: Partial<ClusterListRow> = {}): ClusterListRow => ({
  slug: name.toLowerCase(), name, provider: null, region: null, workloads: 0, ooms30d: 0, activeIncidents: 0, lastSyncAt: null, currency: "USD", monthlyCost: null, monthlyChange: null, ...o,
});
const q = (o: Record<string, unknown> = {}) => listClustersQuery.parse(o);
const names = (p: { rows: ClusterListRow[] }) => p.rows.map((r) => r.name);

describe("the clusters list page", () => {
  const fleet = [
    row("prod-eu", { provider: "aws", region: "eu-west-1", ooms30d: 40, monthlyCost: 900, monthlyChange: -50, lastSyncAt: "2026-11-29T10:00:00Z" }),
    row("staging", { provider: "gcp", region: "us-central1", ooms30d: 3, monthlyCost: 100, monthlyChange: 20 }),
    row("Prod-us", { provider: "aws", region: "us-east-1", ooms30d: 40, activeIncidents: 2, lastSyncAt: "2026-11-29T11:00:00Z" }),
    row("dev", { ooms30d: 0, workloads: 7 }),
  ];

  it("lists by name by default, any case", () => {
    expect(names(pageClusters(fleet, q()))).toEqual(["dev", "prod-eu", "Prod-us", "staging"]);
    expect(names(pageClusters(fleet, q({ dir: "desc" })))).toEqual(["staging", "Prod-us", "prod-eu", "dev"]);
  });

  it("filters on name, slug, provider and region, any case", () => {
    expect(names(pageClusters(fleet, q({ q: "PROD" })))).toEqual(["prod-eu", "Prod-us"]);
    expect(names(pageClusters(fleet, q({ q: "us-" })))).toEqual(["Prod-us", "staging"]);
    expect(names(pageClusters(fleet, q({ q: "gcp" })))).toEqual(["staging"]);
    const none = pageClusters(fleet, q({ q: "nothing" }));
    expect([none.total, none.all, none.rows.length]).toEqual([0, 4, 0]);
  });

  it("sorts by a count, ties by name; what was never computed goes last either way", () => {
    expect(names(pageClusters(fleet, q({ sort: "ooms", dir: "desc" })))).toEqual(["prod-eu", "Prod-us", "staging", "dev"]);
    expect(names(pageClusters(fleet, q({ sort: "cost", dir: "desc" })))).toEqual(["prod-eu", "staging", "dev", "Prod-us"]);
    expect(names(pageClusters(fleet, q({ sort: "cost", dir: "asc" })))).toEqual(["staging", "prod-eu", "dev", "Prod-us"]);
    expect(names(pageClusters(fleet, q({ sort: "change", dir: "asc" })))).toEqual(["prod-eu", "staging", "dev", "Prod-us"]);
    expect(names(pageClusters(fleet, q({ sort: "sync", dir: "desc" })))).toEqual(["Prod-us", "prod-eu", "dev", "staging"]);
    expect(names(pageClusters(fleet, q({ sort: "incidents", dir: "desc" }))).slice(0, 1)).toEqual(["Prod-us"]);
  });

  it("sorts money within a currency: euros never sort among dollars", () => {
    const mixed = [row("a", { monthlyCost: 50 }), row("b", { currency: "EUR", monthlyCost: 900 }), row("c", { monthlyCost: 500 }), row("d", { currency: "EUR", monthlyCost: 10 }), row("e")];
    expect(names(pageClusters(mixed, q({ sort: "cost", dir: "desc" })))).toEqual(["b", "d", "c", "a", "e"]);
    expect(names(pageClusters(mixed, q({ sort: "cost", dir: "asc" })))).toEqual(["d", "b", "a", "c", "e"]);
  });

  it("renders one page of a hundred clusters, the page number clamped to the last", () => {
    const many = Array.from({ length: 103 }, (_, i) => row(`c-${String(i).padStart(3, "0")}`));
    const first = pageClusters(many, q());
    expect([first.rows.length, first.total, first.page, first.rows[0]!.name]).toEqual([25, 103, 1, "c-000"]);
    const last = pageClusters(many, q({ page: "99", pageSize: "50" }));
    expect([last.page, last.rows.length, last.rows[0]!.name]).toEqual([3, 3, "c-100"]);
  });

  it("refuses a query it cannot honour, so the page falls back to its defaults", () => {
    expect(listClustersQuery.safeParse({ sort: "password" }).success).toBe(false);
    expect(listClustersQuery.safeParse({ pageSize: "100000" }).success).toBe(false);
  });
});
