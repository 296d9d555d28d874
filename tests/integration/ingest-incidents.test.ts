import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import pg from "pg";
import { createDb, type Db } from "@/db/connect";
import { auditLog, clusters, containers, incidents, organizations, workloads } from "@/db/schema";
import { ingestBatch } from "@/lib/ingest/store";
import type { IngestTermination } from "@/lib/schemas/ingest";

// An agent's batch brings the incidents of all of its OOMKilled containers in line at once: the
// statements a batch costs do not grow with the containers it kills, and each container's incidents
// open, join, reopen and link as they do one container at a time.

const NOW = new Date("2026-05-04T12:00:00Z");
const T = NOW.getTime() / 1000;
const H = 3600;
const D = 86_400;
const Mi = 1024 * 1024;

let db: Db;
let orgId = "";
let clusterId = "";

beforeAll(async () => {
  db = createDb(inject("databaseUrl"), 2);
  const [org] = await db.insert(organizations).values({ slug: "ingest-incidents", name: "Ingest incidents" }).returning();
  orgId = org!.id;
  const [c] = await db.insert(clusters).values({ orgId, slug: "k1", name: "k1", connectionMode: "agent" }).returning();
  clusterId = c!.id;
});
afterAll(async () => {
  await db.delete(organizations).where(eq(organizations.id, orgId));
  await db.$client.end();
});

const kill = (workload: string, at: number, n = 0, reason: IngestTermination["reason"] = "OOMKilled"): IngestTermination => ({
  podUid: `${workload}-uid-${n}`, pod: `${workload}-7c9d8-${n}`, namespace: "shop", workloadKind: "Deployment", workloadName: workload, container: "app", containerKind: "main",
  reason, exitCode: 137, finishedAt: new Date(at * 1000).toISOString(), restartCount: n + 1, node: "node-1", message: null,
});
let batchNo = 0;
const send = (terminations: IngestTermination[], now = NOW) => {
  const body = { terminations };
  const raw = JSON.stringify(body);
  return ingestBatch(db, { orgId, clusterId, body, raw, idempotencyKey: `k${batchNo++}`, now });
};

/** The statements the database receives while `fn` runs (every pool client of this process). */
async function statementsDuring(fn: () => Promise<unknown>): Promise<number> {
  const query = pg.Client.prototype.query;
  let n = 0;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    n++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    await fn();
  } finally {
    pg.Client.prototype.query = query;
  }
  return n;
}

async function incidentsOf(workload: string) {
  return db
    .select({ id: incidents.id, status: incidents.status, oomCount: incidents.oomCount, firstSeenAt: incidents.firstSeenAt, lastSeenAt: incidents.lastSeenAt, specAtOpen: incidents.specAtOpen, previousIncidentId: incidents.previousIncidentId, resolution: incidents.resolution })
    .from(incidents)
    .innerJoin(workloads, eq(workloads.id, incidents.workloadId))
    .where(and(eq(incidents.orgId, orgId), eq(workloads.name, workload)))
    .orderBy(asc(incidents.firstSeenAt));
}

describe("a batch's OOMKills and their incidents", () => {
  it("costs as many statements for 60 killed containers as for 3, opening one incident each", async () => {
    const few = Array.from({ length: 3 }, (_, i) => kill(`few-${i}`, T - H, i));
    const many = Array.from({ length: 60 }, (_, i) => kill(`many-${i}`, T - H, i));
    let opened = 0;
    const forFew = await statementsDuring(async () => (opened += (await send(few)).incidentsOpened));
    const forMany = await statementsDuring(async () => (opened += (await send(many)).incidentsOpened));
    expect(opened).toBe(63);
    expect(forMany).toBe(forFew);
    // and again, joining the incidents they opened instead of opening new ones
    const joinFew = await statementsDuring(() => send(few.map((t) => kill(t.workloadName!, T - H / 2, 100))));
    const joinMany = await statementsDuring(() => send(many.map((t) => kill(t.workloadName!, T - H / 2, 100))));
    expect(joinMany).toBe(joinFew);
    for (const w of ["few-0", "many-59"]) {
      const [only, ...rest] = await incidentsOf(w);
      expect(rest).toEqual([]);
      expect(only).toMatchObject({ status: "open", oomCount: 2, firstSeenAt: new Date((T - H) * 1000), lastSeenAt: new Date((T - H / 2) * 1000) });
    }
  });

  it("kills other than OOMKilled open nothing; a batch's kills of one container count once each, with the container's spec at opening", async () => {
    await db.insert(workloads).values({ orgId, clusterId, kind: "Deployment", namespace: "shop", name: "spec-known" });
    const [w] = await db.select().from(workloads).where(and(eq(workloads.clusterId, clusterId), eq(workloads.name, "spec-known")));
    await db.insert(containers).values({ orgId, workloadId: w!.id, name: "app", image: "node:22", requestBytes: 256 * Mi, limitBytes: 512 * Mi, args: ["--max-old-space-size=384"] });
    const r = await send([kill("spec-known", T - 3 * H, 1), kill("spec-known", T - 2 * H, 2), kill("spec-known", T - H, 3), kill("liveness", T - H, 1, "Killed")]);
    expect(r).toMatchObject({ stored: 4, incidentsOpened: 1 });
    expect(await incidentsOf("liveness")).toEqual([]);
    const [i] = await incidentsOf("spec-known");
    expect(i).toMatchObject({ status: "open", oomCount: 3, specAtOpen: { requestBytes: 256 * Mi, limitBytes: 512 * Mi, heap: ["--max-old-space-size=384"] } });
  });

  it("a container killed again after a quiet week opens a new incident linked to the earlier one; a manually resolved one killed again reopens, audited", async () => {
    // two containers in one batch: one's incident a quiet week old, the other's resolved by a person
    await send([kill("repeat", T - 20 * D, 1), kill("reopen", T - 2 * D, 1)], new Date((T - 2 * D + H) * 1000));
    const [before] = await incidentsOf("reopen");
    await db.update(incidents).set({ status: "resolved", resolution: "manual", resolvedAt: new Date((T - D) * 1000) }).where(eq(incidents.id, before!.id));
    const r = await send([kill("repeat", T - H, 2), kill("reopen", T - H, 2)]);
    expect(r.incidentsOpened).toBe(1);
    const repeat = await incidentsOf("repeat");
    expect(repeat.map((x) => [x.status, x.oomCount, x.resolution])).toEqual([["resolved", 1, "quiet"], ["open", 1, null]]);
    expect(repeat[1]!.previousIncidentId).toBe(repeat[0]!.id);
    const reopen = await incidentsOf("reopen");
    expect(reopen.map((x) => [x.id, x.status, x.oomCount])).toEqual([[before!.id, "open", 2]]);
    const audits = await db.select({ action: auditLog.action, data: auditLog.data }).from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.targetId, before!.id)));
    expect(audits).toEqual([{ action: "incident.reopened", data: { from: "resolved", to: "open", reason: "OOMKilled again" } }]);
  });

  it("an acknowledged incident stays acknowledged when its container is killed again in a batch", async () => {
    await send([kill("acked", T - 2 * H, 1)]);
    const [i] = await incidentsOf("acked");
    await db.update(incidents).set({ status: "acknowledged", acknowledgedAt: new Date((T - H) * 1000) }).where(eq(incidents.id, i!.id));
    await send([kill("acked", T - H / 2, 2), kill("other-in-batch", T - H / 2, 1)]);
    const [after, ...rest] = await incidentsOf("acked");
    expect(rest).toEqual([]);
    expect(after).toMatchObject({ id: i!.id, status: "acknowledged", oomCount: 2 });
  });
});
