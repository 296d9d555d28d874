import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { and, eq } from "drizzle-orm";
import { ZodError } from "zod";
import { createDb, type Db } from "@/db/connect";
import { clusters, incidents, pods, receivedAlerts, workloads } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { getIncidentView } from "@/lib/incidents/incident-view";
import { listUnmatchedAlerts, receiveAlerts } from "@/lib/notify/alertmanager";
import { authenticateReceiver, createReceiverToken, listReceiverTokens, revokeReceiverToken } from "@/lib/notify/receiver-tokens";
import { seedOtherOrg } from "../support/orgs";

const NOW = 1_764_900_000;
let db: Db;
let orgId: string;
let pod: { name: string; namespace: string };
let incidentId: string;

const hook = (alerts: object[]) => ({
  version: "4", groupKey: "{}:{alertname=\"x\"}", status: "firing", receiver: "headroom", groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: "http://alertmanager:9093", alerts,
});
const alert = (labels: Record<string, string>, extra: object = {}) => ({
  status: "firing", labels, annotations: { summary: `Pod ${labels.pod} using 93% of memory limit` }, startsAt: "2025-12-05T01:00:00Z", endsAt: "0001-01-01T00:00:00Z",
  generatorURL: "http://prometheus:9090/graph", fingerprint: `fp-${labels.alertname}-${labels.pod ?? labels.deployment}`, ...extra,
});

beforeAll(async () => {
  db = createDb(inject("databaseUrl"), 4);
  orgId = (await seedDemo(db, { now: NOW })).orgId;
  await seedOtherOrg(db);
  const [row] = await db
    .select({ name: pods.name, namespace: pods.namespace, workloadId: pods.workloadId })
    .from(pods)
    .innerJoin(workloads, eq(workloads.id, pods.workloadId))
    .innerJoin(clusters, eq(clusters.id, pods.clusterId))
    .where(and(eq(pods.orgId, orgId), eq(clusters.slug, "prod-eu"), eq(workloads.name, "payments-api")))
    .limit(1);
  pod = row!;
  const [inc] = await db.select({ id: incidents.id }).from(incidents).where(and(eq(incidents.orgId, orgId), eq(incidents.workloadId, row!.workloadId!), eq(incidents.containerName, "api")));
  incidentId = inc!.id;
});
afterAll(async () => {
  await db.$client.end();
});

describe("the Alertmanager receiver", () => {
  it("matches the guide's HighMemoryUsage to its container and incident, and shows it on the incident's timeline", async () => {
    const r = await receiveAlerts(db, { orgId, now: new Date(), body: hook([alert({ alertname: "HighMemoryUsage", severity: "warning", cluster: "prod-eu", namespace: pod.namespace, pod: pod.name, container: "api" })]) });
    expect(r).toEqual({ received: 1, matched: 1, unmatched: 0 });
    const [row] = await db.select().from(receivedAlerts).where(and(eq(receivedAlerts.orgId, orgId), eq(receivedAlerts.alertname, "HighMemoryUsage")));
    expect(row).toMatchObject({ incidentId, containerName: "api", unmatchedReason: null, status: "firing", endsAt: null });
    const view = await getIncidentView(db, { orgId, incidentId, now: new Date((NOW + 3600) * 1000), canAct: false });
    const entry = view!.timeline.find((e) => e.kind === "alert");
    expect(entry).toMatchObject({ kind: "alert", alertname: "HighMemoryUsage", status: "firing", summary: expect.stringContaining("93%") });
  });

  it("an alert that fired before the container's incident opened shows on its timeline (the warning before the kill)", async () => {
    const [inc] = await db.select().from(incidents).where(eq(incidents.id, incidentId));
    const before = new Date(inc!.firstSeenAt.getTime() - 3600_000).toISOString();
    await receiveAlerts(db, { orgId, now: new Date(), body: hook([alert({ alertname: "HeadroomMemoryLeak", namespace: pod.namespace, pod: pod.name, container: "api" }, { startsAt: before, fingerprint: "fp-early" })]) });
    await db.update(receivedAlerts).set({ incidentId: null }).where(eq(receivedAlerts.fingerprint, "fp-early"));
    const view = await getIncidentView(db, { orgId, incidentId, now: new Date((NOW + 3600) * 1000), canAct: false });
    expect(view!.timeline.find((e) => e.kind === "alert" && e.alertname === "HeadroomMemoryLeak")).toMatchObject({ at: before });
  });

  it("a repeated alert is one row, updated when it resolves", async () => {
    const labels = { alertname: "KubePodCrashLooping", severity: "warning", namespace: pod.namespace, pod: pod.name, container: "api" };
    await receiveAlerts(db, { orgId, now: new Date(), body: hook([alert(labels)]) });
    await receiveAlerts(db, { orgId, now: new Date(), body: hook([alert(labels)]) });
    await receiveAlerts(db, { orgId, now: new Date(), body: hook([alert(labels, { status: "resolved", endsAt: "2025-12-05T02:00:00Z" })]) });
    const rows = await db.select().from(receivedAlerts).where(and(eq(receivedAlerts.orgId, orgId), eq(receivedAlerts.alertname, "KubePodCrashLooping")));
    expect(rows).toHaveLength(1);
    // no cluster label: the pod's name finds it on the one cluster that has it
    expect(rows[0]).toMatchObject({ status: "resolved", incidentId, endsAt: new Date("2025-12-05T02:00:00Z") });
  });

  it("an unknown container is accepted and listed as unmatched, with the reason", async () => {
    const r = await receiveAlerts(db, {
      orgId, now: new Date(),
      body: hook([
        alert({ alertname: "KubeContainerOOMKilled", namespace: "nowhere", pod: "ghost-5d8f7-abcde", container: "ghost" }),
        alert({ alertname: "HighMemoryUsage", cluster: "no-such-cluster", namespace: pod.namespace, pod: pod.name }, { fingerprint: "fp-other-cluster" }),
        alert({ alertname: "HighMemoryUsage", namespace: pod.namespace, pod: pod.name, container: "not-there" }, { fingerprint: "fp-other-container" }),
      ]),
    });
    expect(r).toEqual({ received: 3, matched: 0, unmatched: 3 });
    const listed = await listUnmatchedAlerts(db, { orgId });
    expect(listed.map((a) => a.reason)).toEqual(expect.arrayContaining([
      expect.stringMatching(/pod nowhere\/ghost-5d8f7-abcde is not known/),
      expect.stringMatching(/no cluster of this organization is named "no-such-cluster"/),
      expect.stringMatching(/container not-there is not part of that workload/),
    ]));
    // another organization sees none of them
    const [other] = await db.select({ orgId: clusters.orgId }).from(clusters).where(eq(clusters.slug, "globex-prod"));
    expect(await listUnmatchedAlerts(db, { orgId: other!.orgId })).toEqual([]);
  });

  it("a malformed webhook is a zod error naming the field (answered 400), and stores nothing", async () => {
    const before = (await db.select().from(receivedAlerts).where(eq(receivedAlerts.orgId, orgId))).length;
    const bad = [
      { body: { ...hook([]), version: "3" }, path: "version" },
      { body: hook([{ ...alert({ alertname: "X", namespace: "a", pod: "b" }), startsAt: "yesterday" }]), path: "alerts.0.startsAt" },
      { body: hook([alert({ namespace: "a", pod: "b" })]), path: "alerts.0.labels.alertname" },
      { body: { version: "4", status: "firing" }, path: "alerts" },
      // years Date.parse reads but Postgres cannot store: a 400, never a 500
      { body: hook([{ ...alert({ alertname: "X", namespace: "a", pod: "b" }), startsAt: "+010000-01-01T00:00:00Z" }]), path: "alerts.0.startsAt" },
      { body: hook([{ ...alert({ alertname: "X", namespace: "a", pod: "b" }), endsAt: "-005000-01-01T00:00:00Z" }]), path: "alerts.0.endsAt" },
    ];
    for (const b of bad) {
      const e = await receiveAlerts(db, { orgId, now: new Date(), body: b.body }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ZodError);
      expect((e as ZodError).issues.map((i) => i.path.join("."))).toContain(b.path);
    }
    expect((await db.select().from(receivedAlerts).where(eq(receivedAlerts.orgId, orgId))).length).toBe(before);
  });

  it("receiver tokens: shown once, stored hashed, revocable", async () => {
    const actor = { userId: null, ip: null };
    const t = await createReceiverToken(db, { orgId, input: { name: "prod alertmanager" }, actor });
    expect(t.token).toMatch(/^hram_[A-Za-z0-9_-]{43}$/);
    const t0 = new Date("2026-11-29T10:00:00Z");
    expect(await authenticateReceiver(db, { token: t.token, now: t0 })).toMatchObject({ orgId });
    expect(await authenticateReceiver(db, { token: `${t.token.slice(0, -1)}x`, now: new Date() })).toBeNull();
    expect(await authenticateReceiver(db, { token: `${t.token}x`, now: new Date() })).toBeNull();
    expect(await authenticateReceiver(db, { token: `hra_${t.token.slice(5)}`, now: new Date() })).toBeNull();
    // when it was last used: noted at most once a minute
    const lastUsed = async () => (await listReceiverTokens(db, { orgId })).find((x) => x.id === t.id)!.lastUsedAt;
    expect(await lastUsed()).toBe(t0.toISOString());
    await authenticateReceiver(db, { token: t.token, now: new Date(t0.getTime() + 30_000) });
    expect(await lastUsed()).toBe(t0.toISOString());
    await authenticateReceiver(db, { token: t.token, now: new Date(t0.getTime() + 61_000) });
    expect(await lastUsed()).toBe(new Date(t0.getTime() + 61_000).toISOString());
    await revokeReceiverToken(db, { orgId, id: t.id, actor, now: new Date() });
    expect(await authenticateReceiver(db, { token: t.token, now: new Date() })).toBeNull();
  });
});
