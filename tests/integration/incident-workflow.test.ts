import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { and, asc, desc, eq } from "drizzle-orm";
import { ZodError } from "zod";
import { createDb, type Db } from "@/db/connect";
import { auditLog, clusters, containers, incidents, memberships, oomEvents, organizations, users, workloads } from "@/db/schema";
import { ConflictError } from "@/lib/clusters/errors";
import { NotFoundError, responseForError } from "@/lib/http/errors";
import { getIncidentView } from "@/lib/incidents/incident-view";
import { addIncidentNote } from "@/lib/incidents/notes";
import { updateIncident } from "@/lib/incidents/status";
import { syncIncidents } from "@/lib/inventory/store";
import { countIncidentsByStatus, listIncidents } from "@/lib/queries/incidents";
import { listIncidentsQuery } from "@/lib/schemas/lists";

// The incident workflow through the product's code on a real Postgres: notes, assignment, snooze,
// resolve and reopen (each audited), the incident page's data, and the list's filters, sort and counts.

const NOW = new Date("2026-03-02T12:00:00Z");
const T = NOW.getTime() / 1000;
const H = 3600;
const D = 86_400;

let db: Db;
const ids = { org: "", other: "", member: "", viewer: "", stranger: "", c1: "", c2: "" };
const inc: Record<string, string> = {};
const actor = (userId: string) => ({ userId, ip: "203.0.113.9" });

async function user(email: string, orgId: string, role: "viewer" | "member" | "admin" | "owner") {
  const [u] = await db.insert(users).values({ email, name: email.split("@")[0]! }).returning();
  await db.insert(memberships).values({ orgId, userId: u!.id, role });
  return u!.id;
}

/** A container in `cluster`/`namespace` killed at `kills`, its incident analysed as `pattern`. */
async function incident(name: string, q: { cluster: string; namespace: string; kills: number[]; pattern: string }) {
  const [w] = await db.insert(workloads).values({ orgId: ids.org, clusterId: q.cluster, kind: "Deployment", namespace: q.namespace, name }).returning();
  await db.insert(containers).values({ orgId: ids.org, workloadId: w!.id, name: "app", image: "app:1", limitBytes: 256 * 1024 * 1024 });
  await db.insert(oomEvents).values(q.kills.map((t, n) => ({
    orgId: ids.org, clusterId: q.cluster, workloadId: w!.id, namespace: q.namespace, podName: `${name}-pod`, podUid: `${name}-uid`, containerName: "app",
    reason: "OOMKilled", exitCode: 137, finishedAt: new Date(t * 1000), restartCount: n + 1, node: "node-a",
  })));
  await syncIncidents(db, { orgId: ids.org, clusterId: q.cluster, workloadId: w!.id, container: "app", kills: q.kills, now: T, analyze: async () => ({ pattern: q.pattern, summary: `${q.pattern} verdict` }) });
  const [row] = await db.select().from(incidents).where(eq(incidents.workloadId, w!.id)).orderBy(desc(incidents.firstSeenAt));
  return { incidentId: row!.id, workloadId: w!.id };
}

beforeAll(async () => {
  db = createDb(inject("databaseUrl"), 2);
  const [org] = await db.insert(organizations).values({ slug: "workflow-test", name: "Workflow" }).returning();
  const [other] = await db.insert(organizations).values({ slug: "workflow-other", name: "Other" }).returning();
  ids.org = org!.id;
  ids.other = other!.id;
  ids.member = await user("maria@workflow.example", ids.org, "member");
  ids.viewer = await user("victor@workflow.example", ids.org, "viewer");
  ids.stranger = await user("sam@other.example", ids.other, "owner");
  const [c1] = await db.insert(clusters).values({ orgId: ids.org, slug: "prod", name: "prod" }).returning();
  const [c2] = await db.insert(clusters).values({ orgId: ids.org, slug: "staging", name: "staging" }).returning();
  ids.c1 = c1!.id;
  ids.c2 = c2!.id;
  inc.leak = (await incident("leaky", { cluster: ids.c1, namespace: "shop", kills: [T - 3 * D, T - 2 * D, T - D], pattern: "leak" })).incidentId;
  inc.limit = (await incident("tight", { cluster: ids.c1, namespace: "shop", kills: [T - 5 * H], pattern: "limit_too_low" })).incidentId;
  inc.spike = (await incident("bursty", { cluster: ids.c2, namespace: "batch", kills: [T - 10 * D, T - 9 * D, T - 2 * H, T - H], pattern: "spike" })).incidentId;
  inc.old = (await incident("quiet", { cluster: ids.c2, namespace: "batch", kills: [T - 20 * D], pattern: "spike" })).incidentId;
});
afterAll(async () => {
  await db.delete(organizations).where(eq(organizations.id, ids.org));
  await db.delete(organizations).where(eq(organizations.id, ids.other));
  await db.delete(users).where(eq(users.email, "maria@workflow.example"));
  await db.$client.end();
});

const update = (incidentId: string, input: unknown, by = ids.member, now = NOW) => updateIncident(db, { orgId: ids.org, incidentId, input, actor: actor(by), now });
const statusOf = async (e: unknown) => (responseForError(e) as Response).status;
const issuesOf = async (e: unknown) => ((await (responseForError(e) as Response).json()) as { issues?: { path: string }[] }).issues?.map((i) => i.path);
const auditOf = (id: string) => db.select().from(auditLog).where(and(eq(auditLog.orgId, ids.org), eq(auditLog.targetId, id))).orderBy(asc(auditLog.id));

describe("notes", () => {
  it("are trimmed, 1 to 5000 characters, by their author, audited without their text", async () => {
    const note = await addIncidentNote(db, { orgId: ids.org, incidentId: inc.leak!, input: { body: "  rolled back to v41  " }, actor: actor(ids.member), now: NOW });
    expect(note.body).toBe("rolled back to v41");
    const exactly5000 = await addIncidentNote(db, { orgId: ids.org, incidentId: inc.leak!, input: { body: "x".repeat(5000) }, actor: actor(ids.member), now: NOW });
    expect(exactly5000.body).toHaveLength(5000);
    for (const body of ["   ", "", "x".repeat(5001)]) {
      const e = await addIncidentNote(db, { orgId: ids.org, incidentId: inc.leak!, input: { body }, actor: actor(ids.member), now: NOW }).catch((x) => x);
      expect(e).toBeInstanceOf(ZodError);
      expect(await issuesOf(e)).toEqual(["body"]);
    }
    const log = await auditOf(inc.leak!);
    expect(log.filter((e) => e.action === "incident.note_added")).toHaveLength(2);
    expect(JSON.stringify(log)).not.toContain("rolled back");
  });

  it("cannot be added to another organization's incident (404)", async () => {
    const e = await addIncidentNote(db, { orgId: ids.other, incidentId: inc.leak!, input: { body: "hi" }, actor: actor(ids.stranger), now: NOW }).catch((x) => x);
    expect(e).toBeInstanceOf(NotFoundError);
  });
});

describe("assigning", () => {
  it("to a member, then to nobody; audited with the member's name", async () => {
    expect((await update(inc.limit!, { assigneeUserId: ids.member })).assigneeUserId).toBe(ids.member);
    expect((await update(inc.limit!, { assigneeUserId: null })).assigneeUserId).toBeNull();
    const actions = (await auditOf(inc.limit!)).map((e) => [e.action, (e.data as { toName?: string }).toName]);
    expect(actions).toEqual([["incident.assigned", "maria"], ["incident.unassigned", undefined]]);
  });

  it("to someone outside the organization, or to a viewer, is a 400 on assigneeUserId; nothing changes", async () => {
    for (const who of [ids.stranger, ids.viewer, "00000000-0000-4000-8000-000000000000"]) {
      const e = await update(inc.limit!, { assigneeUserId: who }).catch((x) => x);
      expect(await statusOf(e)).toBe(400);
      expect(await issuesOf(e)).toEqual(["assigneeUserId"]);
    }
    const e = await update(inc.limit!, { assigneeUserId: "not-a-uuid" }).catch((x) => x);
    expect(await statusOf(e)).toBe(400);
    const [row] = await db.select().from(incidents).where(eq(incidents.id, inc.limit!));
    expect(row!.assigneeUserId).toBeNull();
  });

  it("another organization's incident is a 404", async () => {
    const e = await updateIncident(db, { orgId: ids.other, incidentId: inc.limit!, input: { status: "resolved" }, actor: actor(ids.stranger), now: NOW }).catch((x) => x);
    expect(await statusOf(e)).toBe(404);
  });
});

describe("snoozing", () => {
  it("for a preset, until a time, and ending it; a past or too distant time is refused", async () => {
    expect((await update(inc.spike!, { snooze: "4h" })).snoozedUntil).toBe(new Date(NOW.getTime() + 4 * H * 1000).toISOString());
    const until = new Date(NOW.getTime() + 30 * D * 1000).toISOString();
    expect((await update(inc.spike!, { snoozeUntil: until })).snoozedUntil).toBe(until);
    for (const bad of [{ snoozeUntil: new Date(NOW.getTime() - 1000).toISOString() }, { snoozeUntil: new Date(NOW.getTime() + 30 * D * 1000 + 1000).toISOString() }, { snooze: "2h" }, { snooze: "1h", snoozeUntil: until }, {}]) {
      expect(await statusOf(await update(inc.spike!, bad).catch((x) => x)), JSON.stringify(bad)).toBe(400);
    }
    expect((await update(inc.spike!, { snooze: null })).snoozedUntil).toBeNull();
    const actions = (await auditOf(inc.spike!)).map((e) => e.action);
    expect(actions).toEqual(["incident.snoozed", "incident.snoozed", "incident.unsnoozed"]);
  });

  it("a resolved incident cannot be snoozed (409); resolving ends a snooze and says it was by hand; reopening clears it", async () => {
    await update(inc.limit!, { snooze: "1h" });
    const resolved = await update(inc.limit!, { status: "resolved" });
    expect(resolved).toMatchObject({ status: "resolved", resolution: "manual", snoozedUntil: null });
    expect(await update(inc.limit!, { snooze: "1h" }).catch((x) => x)).toBeInstanceOf(ConflictError);
    expect(await update(inc.limit!, { status: "open" })).toMatchObject({ status: "open", resolution: null });
    const [row] = await db.select().from(incidents).where(eq(incidents.id, inc.limit!));
    expect(row!.resolvedAt).toBeNull();
  });
});

describe("the incident page's data", () => {
  it("has the header, the kills, what people did and the notes on one timeline, the analysis then and now, and earlier incidents", async () => {
    await update(inc.leak!, { status: "acknowledged", assigneeUserId: ids.member });
    const v = (await getIncidentView(db, { orgId: ids.org, incidentId: inc.leak!, now: NOW, canAct: true }))!;
    expect(v).toMatchObject({ status: "acknowledged", cluster: { slug: "prod" }, workload: { namespace: "shop", name: "leaky" }, container: "app", oomCount: 3, containerKnown: true });
    expect(v.assignee).toEqual({ userId: ids.member, name: "maria" });
    expect(v.first?.pattern).toBe("leak");
    expect(v.latest.live).toBe(false);
    const kills = v.timeline.filter((e) => e.kind === "termination");
    expect(kills.map((k) => k.kind === "termination" && [k.reason, k.exitCode, k.pod, k.node, k.restartCount])).toEqual([
      ["OOMKilled", 137, "leaky-pod", "node-a", 3], ["OOMKilled", 137, "leaky-pod", "node-a", 2], ["OOMKilled", 137, "leaky-pod", "node-a", 1],
    ]);
    const events = v.timeline.filter((e) => e.kind === "event").map((e) => e.kind === "event" && [e.action, e.actor]);
    expect(events).toEqual(expect.arrayContaining([["incident.acknowledged", "maria"], ["incident.assigned", "maria"]]));
    expect(v.timeline.filter((e) => e.kind === "note")).toHaveLength(2);
    // newest first
    expect([...v.timeline].map((e) => e.at)).toEqual([...v.timeline].map((e) => e.at).sort().reverse());
    expect(v.assignees?.map((a) => a.name)).toEqual(["maria"]);
    expect((await getIncidentView(db, { orgId: ids.org, incidentId: inc.leak!, now: NOW, canAct: false }))!.assignees).toBeNull();

    const repeat = (await getIncidentView(db, { orgId: ids.org, incidentId: inc.spike!, now: NOW, canAct: false }))!;
    expect(repeat.related).toHaveLength(1);
    expect(repeat.related[0]).toMatchObject({ status: "resolved", resolution: "quiet", previous: true, oomCount: 2 });
  });

  it("is null for another organization or a malformed id", async () => {
    expect(await getIncidentView(db, { orgId: ids.other, incidentId: inc.leak!, now: NOW, canAct: true })).toBeNull();
    expect(await getIncidentView(db, { orgId: ids.org, incidentId: "nope", now: NOW, canAct: true })).toBeNull();
  });
});

describe("the incidents list", () => {
  const list = (params: Record<string, string>, now = NOW) => listIncidents(db, { orgId: ids.org, userId: ids.member, now, ...listIncidentsQuery.parse(params) });
  const names = async (params: Record<string, string>, now = NOW) => (await list(params, now)).rows.map((r) => r.workloadName);

  it("filters by cluster, namespace, pattern and assignee", async () => {
    expect((await names({ cluster: "staging" })).sort()).toEqual(["bursty", "bursty", "quiet"]);
    expect((await names({ namespace: "shop" })).sort()).toEqual(["leaky", "tight"]);
    expect(await names({ pattern: "leak" })).toEqual(["leaky"]);
    expect(await names({ pattern: "limit_too_low" })).toEqual(["tight"]);
    expect(await names({ assignee: "me" })).toEqual(["leaky"]);
    expect(await names({ assignee: ids.member })).toEqual(["leaky"]);
    expect(await names({ assignee: "anyone" })).toEqual(["leaky"]);
    expect(await names({ assignee: "unassigned", status: "active" })).toEqual(expect.arrayContaining(["tight", "bursty"]));
    expect(await names({ assignee: "unassigned" })).not.toContain("leaky");
    expect(() => listIncidentsQuery.parse({ pattern: "oops" })).toThrow();
    expect(() => listIncidentsQuery.parse({ assignee: "someone" })).toThrow();
    expect(() => listIncidentsQuery.parse({ sort: "name" })).toThrow();
  });

  it("sorts by last seen, first seen, kills and workload, either way", async () => {
    expect(await names({ sort: "kills", dir: "desc", status: "active" })).toEqual(["leaky", "bursty", "tight"]);
    expect(await names({ sort: "kills", dir: "asc", status: "active" })).toEqual(["tight", "bursty", "leaky"]);
    expect(await names({ sort: "lastSeen", status: "active" })).toEqual(["bursty", "tight", "leaky"]);
    expect(await names({ sort: "firstSeen", dir: "asc", status: "active" })).toEqual(["leaky", "tight", "bursty"]);
    expect(await names({ sort: "workload", dir: "asc" })).toEqual(["leaky", "tight", "bursty", "bursty", "quiet"]);
  });

  it("a snoozed incident is only snoozed until its snooze ends; the counts add up", async () => {
    await update(inc.spike!, { snooze: "1h" });
    const counts = await countIncidentsByStatus(db, { orgId: ids.org, now: NOW, ...listIncidentsQuery.parse({}) });
    expect(counts).toEqual({ open: 1, acknowledged: 1, snoozed: 1, resolved: 2, active: 2, all: 5 });
    expect(await names({ status: "snoozed" })).toEqual(["bursty"]);
    expect(await names({ status: "active" })).not.toContain("bursty");
    const row = (await list({ status: "snoozed" })).rows[0]!;
    expect(row.snoozedUntil).toBe(new Date(NOW.getTime() + H * 1000).toISOString().replace(".000Z", "Z"));
    // at the hour the snooze ends, it is open again
    const later = new Date(NOW.getTime() + H * 1000);
    expect(await names({ status: "open" }, later)).toContain("bursty");
    expect(await names({ status: "snoozed" }, later)).toEqual([]);
    // counts follow the other filters
    const staging = await countIncidentsByStatus(db, { orgId: ids.org, now: NOW, ...listIncidentsQuery.parse({ cluster: "staging" }) });
    expect(staging).toEqual({ open: 0, acknowledged: 0, snoozed: 1, resolved: 2, active: 0, all: 3 });
  });

  it("keeps pagination: page 2 of 2 rows holds the rest", async () => {
    const p1 = await list({ pageSize: "2", sort: "workload", dir: "asc" });
    const p2 = await list({ pageSize: "2", page: "2", sort: "workload", dir: "asc" });
    expect(p1.total).toBe(5);
    expect([...p1.rows, ...p2.rows].map((r) => r.workloadName)).toEqual(["leaky", "tight", "bursty", "bursty"]);
  });
});
