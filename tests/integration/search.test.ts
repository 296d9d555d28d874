import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "@/db/connect";
import { seedDemo } from "@/db/seed/demo";
import { searchOrg, type SearchHit } from "@/lib/queries/search";
import { searchQuery } from "@/lib/schemas/search";
import { seedOtherOrg } from "../support/orgs";

const NOW = 1_764_900_000;
let db: Db;
let orgId: string;

beforeAll(async () => {
  db = createDb(inject("databaseUrl"), 2);
  orgId = (await seedDemo(db, { now: NOW })).orgId;
  await seedOtherOrg(db);
});
afterAll(async () => {
  await db.$client.end();
});

const search = (q: string, limit = 5) => searchOrg(db, { orgId, orgSlug: "acme", q, limit });
const of = (hits: SearchHit[], kind: SearchHit["kind"]) => hits.filter((h) => h.kind === kind);

describe("global search", () => {
  it("finds a workload on every cluster that runs it, each leading to its cluster's table filtered to it", async () => {
    const hits = await search("payments-api");
    expect(of(hits, "workload").map((h) => [h.title, h.detail, h.href])).toEqual([
      ["payments-api", "prod-eu / payments · Deployment", "/acme/clusters/prod-eu?q=payments-api&namespace=payments"],
      ["payments-api", "prod-us / payments · Deployment", "/acme/clusters/prod-us?q=payments-api&namespace=payments"],
      ["payments-api", "staging / payments · Deployment", "/acme/clusters/staging?q=payments-api&namespace=payments"],
    ]);
    // the leaking payments-api on prod-eu has an unresolved incident that opens its page
    const incident = of(hits, "incident").find((h) => h.detail.startsWith("prod-eu / payments"))!;
    expect(incident.title).toBe("payments-api/api");
    expect(incident.href).toMatch(/^\/acme\/incidents\/[0-9a-f-]{36}$/);
    expect(incident.detail).not.toContain("resolved");
  });

  it("is case-insensitive and ranks names that start with the query before names that only contain it, then shorter names", async () => {
    const hits = of(await search("LOG", 10), "workload").map((h) => `${h.title}@${h.detail.split(" ")[0]}`);
    expect(hits).toEqual(["log-shipper@prod-eu", "log-shipper@staging", "catalog-db@prod-us", "catalog-api@prod-us", "catalog-api@staging"]);
    // an exact name first, before longer names that start with it
    expect(of(await search("search-api", 10), "workload").map((h) => h.title)).toEqual(["search-api", "search-api"]);
    expect(of(await search("search", 10), "namespace").map((h) => `${h.title}: ${h.detail}`)).toEqual(["search: prod-eu · 2 workloads", "search: staging · 1 workload"]);
  });

  it("finds clusters, namespaces, containers and images, each with where it lives", async () => {
    expect(of(await search("prod"), "cluster").map((h) => [h.title, h.href])).toEqual([
      ["prod-eu", "/acme/clusters/prod-eu"],
      ["prod-us", "/acme/clusters/prod-us"],
    ]);
    const ns = of(await search("identity"), "namespace");
    expect(ns).toEqual([{ kind: "namespace", title: "identity", detail: "prod-us · 2 workloads", href: "/acme/clusters/prod-us?namespace=identity" }]);
    const keydb = await search("keydb");
    expect(of(keydb, "container").map((h) => [h.title, h.href])).toEqual([["session-store/keydb", "/acme/clusters/prod-us/identity/deployment/session-store/keydb"]]);
    expect(of(keydb, "image")).toEqual([
      { kind: "image", title: "eqalpha/keydb:6.3.4", detail: "1 container · first: session-store/keydb on prod-us", href: "/acme/clusters/prod-us/identity/deployment/session-store/keydb" },
    ]);
    // one image run by several containers is one hit that counts them
    const postgres = of(await search("postgres:16"), "image");
    expect(postgres.map((h) => [h.title, h.detail])).toEqual([["postgres:16.2", "2 containers · first: ledger-db/postgres on prod-eu"]]);
  });

  it("returns at most `limit` of each kind", async () => {
    const hits = await search("a", 2);
    for (const kind of ["cluster", "namespace", "workload", "container", "image", "incident"] as const) expect(of(hits, kind).length).toBeLessThanOrEqual(2);
    expect(of(hits, "workload")).toHaveLength(2);
    expect(of(await search("a", 3), "workload")).toHaveLength(3);
  });

  it("never returns another organization's things, and LIKE wildcards match themselves", async () => {
    for (const q of ["globex", "secret", "globex/api", "globex-prod"]) expect(await search(q), q).toEqual([]);
    expect(await search("%")).toEqual([]);
    expect(await search("_")).toEqual([]);
    // Globex's own search finds its cluster
    const globex = await db.query.organizations.findFirst({ where: (o, { eq }) => eq(o.slug, "globex") });
    const own = await searchOrg(db, { orgId: globex!.id, orgSlug: "globex", q: "globex", limit: 5 });
    expect(of(own, "cluster").map((h) => h.href)).toEqual(["/globex/clusters/globex-prod"]);
  });

  it("accepts 1 to 100 characters and a limit of 1 to 20", () => {
    expect(searchQuery.safeParse({ q: "" }).success).toBe(false);
    expect(searchQuery.safeParse({ q: "   " }).success).toBe(false);
    expect(searchQuery.safeParse({ q: "x" }).data).toEqual({ q: "x", limit: 5 });
    expect(searchQuery.safeParse({ q: "x".repeat(100) }).success).toBe(true);
    expect(searchQuery.safeParse({ q: "x".repeat(101) }).success).toBe(false);
    expect(searchQuery.safeParse({ q: "x", limit: "20" }).data?.limit).toBe(20);
    expect(searchQuery.safeParse({ q: "x", limit: "21" }).success).toBe(false);
    expect(searchQuery.safeParse({ q: "x", limit: "0" }).success).toBe(false);
  });
});
