import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { createDb, type Db } from "@/db/connect";
import { auditLog, clusters, containers, incidents, oomEvents, organizations, workloads } from "@/db/schema";
import { FIX_VERIFY_SECONDS, verifyFixes } from "@/lib/incidents/fix-verify";
import { syncIncidents } from "@/lib/inventory/store";

// Fix verification on a real Postgres: a container's limit, request or heap setting changing after an
// incident opened is its fix; seven quiet days on it resolve the incident as fix_verified; a kill after
// it keeps the incident open. The sync that opens incidents stores what they opened with.

const NOW = 1_764_900_000;
const H = 3600;
const D = 86_400;
const Mi = 1024 * 1024;
const at = (s: number) => new Date(s * 1000);

let db: Db;
let orgId = "";
let clusterId = "";

beforeAll(async () => {
  db = createDb(inject("databaseUrl"), 2);
  const [org] = await db.insert(organizations).values({ slug: "fix-verify-test", name: "Fix verify" }).returning();
  const [cluster] = await db.insert(clusters).values({ orgId: org!.id, slug: "c1", name: "c1" }).returning();
  orgId = org!.id;
  clusterId = cluster!.id;
});
afterAll(async () => {
  await db.delete(organizations).where(eq(organizations.id, orgId));
  await db.$client.end();
});

/** A workload with one container (limit 256Mi, request 128Mi, -Xmx200m) killed at `kills`, synced at `now`. */
async function killedContainer(name: string, kills: number[], now = NOW) {
  const [w] = await db.insert(workloads).values({ orgId, clusterId, kind: "Deployment", namespace: "ns", name }).returning();
  await db.insert(containers).values({ orgId, workloadId: w!.id, name: "app", image: "app:1", requestBytes: 128 * Mi, limitBytes: 256 * Mi, env: { JAVA_TOOL_OPTIONS: "-Xmx200m" } });
  await recordKills(w!.id, kills);
  await syncIncidents(db, { orgId, clusterId, workloadId: w!.id, container: "app", kills, now, analyze: async () => ({ pattern: "limit_too_low", summary: "at first" }) });
  return w!.id;
}

async function recordKills(workloadId: string, kills: number[]) {
  if (kills.length === 0) return;
  await db.insert(oomEvents).values(kills.map((t) => ({ orgId, clusterId, workloadId, namespace: "ns", podName: "p", podUid: `u-${workloadId}`, containerName: "app", reason: "OOMKilled", exitCode: 137, finishedAt: at(t) })));
}

const setSpec = (workloadId: string, s: Partial<typeof containers.$inferInsert>) =>
  db.update(containers).set(s).where(and(eq(containers.workloadId, workloadId), eq(containers.name, "app")));
const incidentsOf = (workloadId: string) => db.select().from(incidents).where(eq(incidents.workloadId, workloadId)).orderBy(asc(incidents.firstSeenAt));
const auditOf = (incidentId: string) => db.select().from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.targetId, incidentId))).orderBy(asc(auditLog.id));

describe("a new incident keeps what it opened with", () => {
  it("the analysis at the first kill, the memory spec with its heap flag, and the container's previous incident", async () => {
    const w = await killedContainer("opened", [NOW - 20 * D, NOW - 2 * H, NOW - H]);
    const [older, current] = await incidentsOf(w);
    expect(current!.firstAnalysis).toEqual({ pattern: "limit_too_low", summary: "at first" });
    expect(current!.specAtOpen).toEqual({ requestBytes: 128 * Mi, limitBytes: 256 * Mi, heap: ["-Xmx200m"] });
    expect(current!.previousIncidentId).toBe(older!.id);
    expect(older!.previousIncidentId).toBeNull();
    // a later sync updates the analysis, never the first one
    await syncIncidents(db, { orgId, clusterId, workloadId: w, container: "app", kills: [NOW - 2 * H, NOW - H], now: NOW + H, analyze: async () => ({ pattern: "leak", summary: "now" }) });
    const [, again] = await incidentsOf(w);
    expect(again!.analysis).toEqual({ pattern: "leak", summary: "now" });
    expect(again!.pattern).toBe("leak");
    expect(again!.firstAnalysis).toEqual({ pattern: "limit_too_low", summary: "at first" });
  });

  it("a container the agent only named (no image, request or limit) opens without a spec, which the first known one fills in", async () => {
    const [w] = await db.insert(workloads).values({ orgId, clusterId, kind: "Deployment", namespace: "ns", name: "named-only" }).returning();
    await db.insert(containers).values({ orgId, workloadId: w!.id, name: "app" });
    await syncIncidents(db, { orgId, clusterId, workloadId: w!.id, container: "app", kills: [NOW - H], now: NOW });
    expect((await incidentsOf(w!.id))[0]!.specAtOpen).toBeNull();
    await setSpec(w!.id, { image: "app:1", limitBytes: 256 * Mi });
    // the spec becoming known is not a fix
    expect(await verifyFixes(db, { now: at(NOW + H), orgId })).toEqual({ applied: 0, verified: 0 });
    const [i] = await incidentsOf(w!.id);
    expect(i!.specAtOpen).toEqual({ requestBytes: null, limitBytes: 256 * Mi, heap: [] });
    expect(i!.fixAppliedAt).toBeNull();
  });
});

describe("verifyFixes", () => {
  it("records a limit change as the fix, then resolves the incident as fix_verified after exactly 7 quiet days", async () => {
    const w = await killedContainer("limit-raised", [NOW - 3 * H, NOW - H]);
    expect(await verifyFixes(db, { now: at(NOW), orgId })).toEqual({ applied: 0, verified: 0 });
    await setSpec(w, { limitBytes: 512 * Mi });
    const fixedAt = NOW + H;
    expect((await verifyFixes(db, { now: at(fixedAt), orgId })).applied).toBe(1);
    let [i] = await incidentsOf(w);
    expect(i!.fixAppliedAt).toEqual(at(fixedAt));
    expect(i!.specAfterFix).toEqual({ requestBytes: 128 * Mi, limitBytes: 512 * Mi, heap: ["-Xmx200m"] });
    expect(i!.status).toBe("open");
    // the sync a week after the last kill would resolve it as quiet: a fix being verified is left alone
    await syncIncidents(db, { orgId, clusterId, workloadId: w, container: "app", kills: [NOW - 3 * H, NOW - H], now: NOW + 7 * D + 30 * 60 });
    expect((await incidentsOf(w))[0]!.status).toBe("open");
    // one second short of 7 days: still open
    await verifyFixes(db, { now: at(fixedAt + FIX_VERIFY_SECONDS - 1), orgId });
    expect((await incidentsOf(w))[0]!.status).toBe("open");
    const verifiedAt = at(fixedAt + FIX_VERIFY_SECONDS);
    expect((await verifyFixes(db, { now: verifiedAt, orgId })).verified).toBe(1);
    [i] = await incidentsOf(w);
    expect(i!.status).toBe("resolved");
    expect(i!.resolution).toBe("fix_verified");
    expect(i!.resolvedAt).toEqual(verifiedAt);
    const log = await auditOf(i!.id);
    expect(log.map((e) => [e.action, e.actorUserId])).toEqual([["incident.fix_applied", null], ["incident.fix_verified", null]]);
    expect(log[0]!.data).toMatchObject({ before: { limitBytes: 256 * Mi }, after: { limitBytes: 512 * Mi } });
    // and a later sync does not reopen it
    await syncIncidents(db, { orgId, clusterId, workloadId: w, container: "app", kills: [NOW - 3 * H, NOW - H], now: NOW + 9 * D });
    expect((await incidentsOf(w))[0]!.resolution).toBe("fix_verified");
  });

  it("a heap setting alone is a fix; a request alone too", async () => {
    const heap = await killedContainer("heap-lowered", [NOW - H]);
    const request = await killedContainer("request-raised", [NOW - H]);
    await setSpec(heap, { env: { JAVA_TOOL_OPTIONS: "-Xmx150m" } });
    await setSpec(request, { requestBytes: 256 * Mi });
    expect((await verifyFixes(db, { now: at(NOW), orgId })).applied).toBe(2);
    expect((await incidentsOf(heap))[0]!.specAfterFix).toEqual({ requestBytes: 128 * Mi, limitBytes: 256 * Mi, heap: ["-Xmx150m"] });
    expect((await incidentsOf(request))[0]!.fixAppliedAt).toEqual(at(NOW));
  });

  it("an OOMKill after the fix keeps the incident open: the fix did not hold", async () => {
    const w = await killedContainer("did-not-hold", [NOW - 2 * H]);
    await setSpec(w, { limitBytes: 300 * Mi });
    await verifyFixes(db, { now: at(NOW), orgId });
    await recordKills(w, [NOW + D]);
    await verifyFixes(db, { now: at(NOW + 8 * D), orgId });
    const [i] = await incidentsOf(w);
    expect(i!.status).toBe("open");
    expect(i!.resolution).toBeNull();
    // a further change is the next fix, and its week starts then
    await setSpec(w, { limitBytes: 600 * Mi });
    await verifyFixes(db, { now: at(NOW + 9 * D), orgId });
    const [again] = await incidentsOf(w);
    expect(again!.fixAppliedAt).toEqual(at(NOW + 9 * D));
    expect((again!.specAfterFix as { limitBytes: number }).limitBytes).toBe(600 * Mi);
    expect((await verifyFixes(db, { now: at(NOW + 16 * D), orgId })).verified).toBeGreaterThanOrEqual(1);
    expect((await incidentsOf(w))[0]!.resolution).toBe("fix_verified");
  });

  it("a change back to the spec it opened with is no fix", async () => {
    const w = await killedContainer("reverted", [NOW - H]);
    await setSpec(w, { limitBytes: 512 * Mi });
    await verifyFixes(db, { now: at(NOW), orgId });
    await setSpec(w, { limitBytes: 256 * Mi });
    await verifyFixes(db, { now: at(NOW + H), orgId });
    const [i] = await incidentsOf(w);
    expect(i!.fixAppliedAt).toBeNull();
    expect(i!.specAfterFix).toBeNull();
    await verifyFixes(db, { now: at(NOW + 9 * D), orgId });
    expect((await incidentsOf(w))[0]!.status).toBe("open");
  });

  it("touches only the organization it is given", async () => {
    const [other] = await db.insert(organizations).values({ slug: "fix-verify-other", name: "Other" }).returning();
    try {
      const [c] = await db.insert(clusters).values({ orgId: other!.id, slug: "c1", name: "c1" }).returning();
      const [w] = await db.insert(workloads).values({ orgId: other!.id, clusterId: c!.id, kind: "Deployment", namespace: "ns", name: "x" }).returning();
      await db.insert(containers).values({ orgId: other!.id, workloadId: w!.id, name: "app", image: "x", limitBytes: 256 * Mi });
      await syncIncidents(db, { orgId: other!.id, clusterId: c!.id, workloadId: w!.id, container: "app", kills: [NOW - H], now: NOW });
      await db.update(containers).set({ limitBytes: 512 * Mi }).where(eq(containers.workloadId, w!.id));
      await verifyFixes(db, { now: at(NOW), orgId });
      expect((await incidentsOf(w!.id))[0]!.fixAppliedAt).toBeNull();
      await verifyFixes(db, { now: at(NOW) });
      expect((await incidentsOf(w!.id))[0]!.fixAppliedAt).toEqual(at(NOW));
    } finally {
      await db.delete(organizations).where(eq(organizations.id, other!.id));
    }
  });
});

describe("a sync respects what people decided", () => {
  it("a manual resolution stands until a kill after it, which reopens the incident (audited as the system)", async () => {
    const kills = [NOW - 3 * H, NOW - 2 * H];
    const w = await killedContainer("resolved-by-hand", kills);
    const [i] = await incidentsOf(w);
    await db.update(incidents).set({ status: "resolved", resolution: "manual", resolvedAt: at(NOW - H) }).where(eq(incidents.id, i!.id));
    await syncIncidents(db, { orgId, clusterId, workloadId: w, container: "app", kills, now: NOW });
    expect((await incidentsOf(w))[0]!.status).toBe("resolved");
    await syncIncidents(db, { orgId, clusterId, workloadId: w, container: "app", kills: [...kills, NOW + H], now: NOW + 2 * H });
    const [after] = await incidentsOf(w);
    expect(after!.status).toBe("open");
    expect(after!.resolution).toBeNull();
    expect(after!.resolvedAt).toBeNull();
    expect(after!.oomCount).toBe(3);
    expect((await auditOf(i!.id)).map((e) => e.action)).toEqual(["incident.reopened"]);
  });

  it("an acknowledgement keeps its time; a quiet week resolves as quiet", async () => {
    const kills = [NOW - 2 * H];
    const w = await killedContainer("acknowledged", kills);
    const [i] = await incidentsOf(w);
    await db.update(incidents).set({ status: "acknowledged", acknowledgedAt: at(NOW - H) }).where(eq(incidents.id, i!.id));
    await syncIncidents(db, { orgId, clusterId, workloadId: w, container: "app", kills, now: NOW + H });
    expect((await incidentsOf(w))[0]!.acknowledgedAt).toEqual(at(NOW - H));
    await syncIncidents(db, { orgId, clusterId, workloadId: w, container: "app", kills, now: NOW + 8 * D });
    const [after] = await incidentsOf(w);
    expect(after!.status).toBe("resolved");
    expect(after!.resolution).toBe("quiet");
  });
});
