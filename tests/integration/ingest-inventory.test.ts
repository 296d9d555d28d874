import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { createDb, type Db } from "@/db/connect";
import { clusters, containers, ingestBatches, nodes, oomEvents, organizations, pods, workloads } from "@/db/schema";
import { storeSnapshot } from "@/lib/ingest/inventory";
import { ingestBatch } from "@/lib/ingest/store";
import { buildSnapshot, chunkSnapshot, type DeploymentObject, type KubeObjects, type PodSpecLike } from "@/lib/kube/snapshot";
import { ingestBatchSchema, inventorySnapshotSchema, type IngestSnapshot } from "@/lib/schemas/ingest";

const Mi = 1024 * 1024;
let db: Db;
let orgId = "";
let clusterId = "";
let otherClusterId = "";

beforeAll(async () => {
  db = createDb(inject("databaseUrl"), 2);
  const [org] = await db.insert(organizations).values({ slug: "inventory-test", name: "Inventory" }).returning();
  orgId = org!.id;
  const [c, other] = await db.insert(clusters).values([{ orgId, slug: "k1", name: "k1" }, { orgId, slug: "k2", name: "k2" }]).returning();
  clusterId = c!.id;
  otherClusterId = other!.id;
});
afterAll(async () => {
  await db.delete(organizations).where(eq(organizations.id, orgId));
  await db.$client.end();
});

const owner = (kind: string, name: string) => [{ kind, name, controller: true }];
const deployment = (name: string, limit: string, extra: { volumes?: PodSpecLike["volumes"]; mounts?: { name: string; mountPath: string }[]; containers?: { name: string }[] } = {}): DeploymentObject => ({
  metadata: { name, namespace: "shop", uid: `d-${name}` },
  spec: {
    replicas: 2,
    template: {
      spec: {
        volumes: extra.volumes ?? [],
        containers: [{ name: "app", image: "node:22", command: ["node"], args: ["--max-old-space-size=384", "server.js"], env: [{ name: "NODE_ENV", value: "production" }], resources: { requests: { memory: "256Mi" }, limits: { memory: limit } }, volumeMounts: extra.mounts ?? [] }, ...(extra.containers ?? [])],
      },
    },
  },
});
const rs = (name: string, deploymentName: string) => ({ metadata: { name, namespace: "shop", uid: `rs-${name}`, ownerReferences: owner("Deployment", deploymentName) } });
const pod = (name: string, rsName: string, ns = "shop") => ({ metadata: { name, namespace: ns, uid: `uid-${name}`, ownerReferences: owner("ReplicaSet", rsName) }, spec: { nodeName: "node-1" }, status: { phase: "Running", startTime: "2026-11-29T09:00:00Z" } });
const node = (name: string, pressure = false) => ({ metadata: { name, labels: { "node.kubernetes.io/instance-type": "m6i.large" } }, status: { allocatable: { memory: "7Gi" }, capacity: { memory: "8Gi" }, conditions: [{ type: "MemoryPressure", status: pressure ? "True" : "False" }] } });
const snap = (o: KubeObjects, complete = true, namespaces: string[] | null = null): IngestSnapshot => inventorySnapshotSchema.parse(buildSnapshot(o, { complete, namespaces }));
const now = new Date("2026-11-29T10:00:00Z");

async function inventory() {
  const w = await db.select().from(workloads).where(eq(workloads.clusterId, clusterId)).orderBy(asc(workloads.name));
  const c = await db.select({ workload: workloads.name, name: containers.name, kind: containers.kind, limitBytes: containers.limitBytes, args: containers.args, env: containers.env, memoryVolumes: containers.memoryVolumes })
    .from(containers).innerJoin(workloads, eq(workloads.id, containers.workloadId)).where(eq(workloads.clusterId, clusterId)).orderBy(asc(workloads.name), asc(containers.name));
  const p = await db.select().from(pods).where(eq(pods.clusterId, clusterId)).orderBy(asc(pods.name));
  const n = await db.select().from(nodes).where(eq(nodes.clusterId, clusterId)).orderBy(asc(nodes.name));
  return { workloads: w.map((x) => `${x.kind}/${x.name}:${x.replicas}`), containers: c, pods: p.map((x) => `${x.namespace}/${x.name}`), nodes: n };
}

describe("storing the inventory the Kubernetes API shows", () => {
  it("a complete snapshot stores workloads, container specs with memory-backed volumes, pods under their workloads, nodes, and the sync time", async () => {
    const r = await storeSnapshot(db, {
      orgId, clusterId, now,
      snapshot: snap({
        deployments: [deployment("shop", "512Mi", { volumes: [{ name: "cache", emptyDir: { medium: "Memory", sizeLimit: "128Mi" } }], mounts: [{ name: "cache", mountPath: "/cache" }], containers: [{ name: "old-proxy" }] }), deployment("search", "1Gi")],
        replicaSets: [rs("shop-6f7c9", "shop"), rs("search-5b5b5", "search")],
        pods: [pod("shop-6f7c9-a", "shop-6f7c9"), pod("shop-6f7c9-b", "shop-6f7c9"), pod("search-5b5b5-a", "search-5b5b5"), pod("batch-x", "batch-rs", "jobs")],
        nodes: [node("node-1"), node("node-2", true)],
      }),
    });
    expect(r).toMatchObject({ workloads: 3, containers: 3, pods: 4, nodes: 2, podsRemoved: 0, nodesRemoved: 0 });
    const inv = await inventory();
    expect(inv.workloads).toEqual(["ReplicaSet/batch-rs:1", "Deployment/search:2", "Deployment/shop:2"]);
    expect(inv.containers.find((c) => c.workload === "shop" && c.name === "app")).toEqual({
      workload: "shop", name: "app", kind: "main", limitBytes: 512 * Mi, args: ["--max-old-space-size=384", "server.js"], env: { NODE_ENV: "production" },
      memoryVolumes: [{ name: "cache", sizeLimitBytes: 128 * Mi, mountPath: "/cache" }],
    });
    expect(inv.pods).toEqual(["jobs/batch-x", "shop/search-5b5b5-a", "shop/shop-6f7c9-a", "shop/shop-6f7c9-b"]);
    expect(inv.nodes.map((n) => [n.name, n.allocatableMemoryBytes, n.capacityMemoryBytes, n.memoryPressure, n.instanceType])).toEqual([
      ["node-1", 7 * 1024 * Mi, 8 * 1024 * Mi, false, "m6i.large"], ["node-2", 7 * 1024 * Mi, 8 * 1024 * Mi, true, "m6i.large"],
    ]);
    const [c] = await db.select().from(clusters).where(eq(clusters.id, clusterId));
    expect(c!.kubeSyncAt).toEqual(now);
  });

  it("the next complete snapshot updates what changed and removes what is gone — except workloads and containers with kills, kept as history", async () => {
    const [search] = await db.select().from(workloads).where(and(eq(workloads.clusterId, clusterId), eq(workloads.name, "search")));
    await db.insert(oomEvents).values({ orgId, clusterId, workloadId: search!.id, namespace: "shop", podName: "search-5b5b5-a", podUid: "uid-search-5b5b5-a", containerName: "app", reason: "OOMKilled", exitCode: 137, finishedAt: new Date("2026-11-29T08:00:00Z") });
    // shop's limit raised and its old proxy removed; search deleted (it was OOMKilled); the bare ReplicaSet's pod gone; node-2 drained away
    const r = await storeSnapshot(db, {
      orgId, clusterId, now: new Date(now.getTime() + 60_000),
      snapshot: snap({ deployments: [deployment("shop", "768Mi")], replicaSets: [rs("shop-6f7c9", "shop")], pods: [pod("shop-6f7c9-a", "shop-6f7c9")], nodes: [node("node-1")] }),
    });
    expect(r).toMatchObject({ podsRemoved: 3, nodesRemoved: 1 });
    const inv = await inventory();
    expect(inv.workloads).toEqual(["Deployment/search:2", "Deployment/shop:2"]);
    expect(inv.containers.map((c) => `${c.workload}/${c.name}:${c.limitBytes ?? "-"}`)).toEqual(["search/app:1073741824", "shop/app:805306368"]);
    expect(inv.containers.find((c) => c.workload === "shop")!.memoryVolumes).toBeNull();
    expect(inv.pods).toEqual(["shop/shop-6f7c9-a"]);
    expect(inv.nodes.map((n) => n.name)).toEqual(["node-1"]);
  });

  it("changes add and remove only what they name; a complete snapshot of some namespaces leaves the others alone", async () => {
    const changes = snap({ pods: [pod("shop-6f7c9-c", "shop-6f7c9")] }, false);
    // the pod's ReplicaSet was not in this change: the agent resolves it; here it is named as the agent would
    changes.pods[0] = { ...changes.pods[0]!, workloadKind: "Deployment", workloadName: "shop" };
    changes.workloads = [];
    changes.removedPods = ["uid-shop-6f7c9-a"];
    await storeSnapshot(db, { orgId, clusterId, now, snapshot: changes });
    expect((await inventory()).pods).toEqual(["shop/shop-6f7c9-c"]);
    expect((await inventory()).workloads).toEqual(["Deployment/search:2", "Deployment/shop:2"]);

    await storeSnapshot(db, { orgId, clusterId, now, snapshot: snap({ pods: [pod("cron-a", "cron-rs", "jobs")] }, true, ["jobs"]) });
    expect((await inventory()).pods).toEqual(["jobs/cron-a", "shop/shop-6f7c9-c"]);
    // another cluster of the same organization is untouched by either
    expect(await db.select().from(pods).where(eq(pods.clusterId, otherClusterId))).toEqual([]);
  });

  it("an agent batch with a snapshot and kills: the kill's container has its spec from the API, the answer counts both", async () => {
    const snapshot = snap({ deployments: [deployment("shop", "768Mi")], replicaSets: [rs("shop-6f7c9", "shop")], pods: [pod("shop-6f7c9-c", "shop-6f7c9")], nodes: [node("node-1")] });
    const body = {
      snapshot,
      terminations: [{ podUid: "uid-shop-6f7c9-c", pod: "shop-6f7c9-c", namespace: "shop", workloadKind: "Deployment", workloadName: "shop", container: "app", containerKind: "main", reason: "OOMKilled", exitCode: 137, finishedAt: "2026-11-29T09:59:00Z", restartCount: 1, node: "node-1", message: null }],
    };
    const r = await ingestBatch(db, { orgId, clusterId, body, raw: JSON.stringify(body), idempotencyKey: "inv-1", now });
    expect(r).toMatchObject({ stored: 1, duplicates: 0, incidentsOpened: 1, snapshot: { workloads: 1, containers: 1, pods: 1, nodes: 1 } });
    const inv = await inventory();
    expect(inv.containers.find((c) => c.workload === "shop")).toMatchObject({ name: "app", limitBytes: 768 * Mi });
  });

  it("workload labels: the object's labels kept (valid ones, never annotations), rewritten only when they change, kept when a snapshot could not read them", async () => {
    const labelled = (labels: Record<string, string>) => {
      const d = deployment("labelled", "256Mi");
      d.metadata = { ...d.metadata, labels, annotations: { "deployment.kubernetes.io/revision": "3", "secret-ish": "do-not-store" } } as typeof d.metadata;
      return d;
    };
    const labelsOf = async () => (await db.select({ labels: workloads.labels, updatedAt: workloads.updatedAt }).from(workloads).where(and(eq(workloads.clusterId, clusterId), eq(workloads.name, "labelled"))))[0]!;
    const s1 = snap({ deployments: [labelled({ team: "payments", "app.kubernetes.io/part-of": "checkout", "bad key!": "x", ok: "bad value!" })], pods: [] }, true, ["shop"]);
    expect(s1.workloads[0]!.labels).toEqual({ "app.kubernetes.io/part-of": "checkout", team: "payments" });
    await storeSnapshot(db, { orgId, clusterId, now, snapshot: s1 });
    const first = await labelsOf();
    expect(first.labels).toEqual({ "app.kubernetes.io/part-of": "checkout", team: "payments" });
    // the same labels again: the row is not written (its updated_at stays)
    await storeSnapshot(db, { orgId, clusterId, now: new Date(now.getTime() + 60_000), snapshot: s1 });
    expect((await labelsOf()).updatedAt).toEqual(first.updatedAt);
    // a new team: written
    await storeSnapshot(db, { orgId, clusterId, now: new Date(now.getTime() + 120_000), snapshot: snap({ deployments: [labelled({ team: "checkout" })], pods: [] }, true, ["shop"]) });
    expect(await labelsOf()).toEqual({ labels: { team: "checkout" }, updatedAt: new Date(now.getTime() + 120_000) });
    // a workload described from its pod (its object not read): the stored labels stand
    const fromPod = snap({ pods: [] }, false);
    fromPod.workloads = [{ kind: "Deployment", namespace: "shop", name: "labelled", replicas: 2, containers: [] }];
    await storeSnapshot(db, { orgId, clusterId, now: new Date(now.getTime() + 180_000), snapshot: fromPod });
    expect((await labelsOf()).labels).toEqual({ team: "checkout" });
  });

  it("a snapshot's labels are bounded: a bad key or value, or more than 64, refused with the path", async () => {
    const w = (labels: Record<string, string>) => ({ snapshot: { complete: false, workloads: [{ kind: "Deployment", namespace: "shop", name: "x", replicas: 1, containers: [], labels }] } });
    const refused = async (labels: Record<string, string>) => {
      const body = w(labels);
      const e = await ingestBatch(db, { orgId, clusterId, body, raw: JSON.stringify(body), idempotencyKey: null, now }).then(() => null, (x: unknown) => x);
      return (e as { issues?: { path: PropertyKey[]; message: string }[] } | null)?.issues?.map((i) => [i.path.join("."), i.message]);
    };
    expect(await refused({ "team/": "a" })).toEqual([["snapshot.workloads.0.labels.team/", expect.stringContaining("label key")]]);
    expect(await refused({ team: "x".repeat(64) })).toEqual([["snapshot.workloads.0.labels.team", expect.stringContaining("label value")]]);
    expect(await refused({ team: "x".repeat(63), ["a".repeat(63)]: "" })).toBeUndefined();
    expect(await refused({ team: "-payments" })).toEqual([["snapshot.workloads.0.labels.team", expect.stringContaining("label value")]]);
    expect(await refused(Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`l${i}`, "v"])))).toEqual([["snapshot.workloads.0.labels", "at most 64 labels per workload"]]);
    expect(await refused(Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`l${i}`, "v"])))).toBeUndefined();
  });

  it("a complete relist in parts removes what it no longer shows only once its last part has arrived; one whose parts do not all arrive removes nothing", async () => {
    const [k3] = await db.insert(clusters).values({ orgId, slug: "k3", name: "k3" }).returning();
    const c3 = { orgId, clusterId: k3!.id };
    const podsOf = async () => (await db.select({ name: pods.name }).from(pods).where(eq(pods.clusterId, k3!.id)).orderBy(asc(pods.name))).map((p) => p.name);
    const nodesOf = async () => (await db.select({ name: nodes.name }).from(nodes).where(eq(nodes.clusterId, k3!.id)).orderBy(asc(nodes.name))).map((n) => n.name);
    const send = async (snapshot: IngestSnapshot) => {
      const body = { snapshot };
      return (await ingestBatch(db, { ...c3, body, raw: JSON.stringify(body), idempotencyKey: null, now })).snapshot!;
    };
    // before: a pod and a node the relist will not show
    await send(snap({ deployments: [deployment("old", "256Mi")], replicaSets: [rs("old-1", "old")], pods: [pod("old-1-a", "old-1")], nodes: [node("node-gone")] }));
    const whole = snap({
      deployments: ["a", "b", "c"].map((n) => deployment(n, "256Mi")), replicaSets: ["a", "b", "c"].map((n) => rs(`${n}-1`, n)),
      pods: ["a", "b", "c"].flatMap((n) => [pod(`${n}-1-x`, `${n}-1`), pod(`${n}-1-y`, `${n}-1`)]), nodes: [node("node-1"), node("node-2"), node("node-3")],
    });
    const parts = chunkSnapshot(whole, { pods: 2, workloads: 1, nodes: 1 }, "relist-1");
    expect(parts.map((p) => [p.chunk, p.pods.length, p.workloads.length, p.nodes.length])).toEqual([0, 1, 2].map((index) => [{ id: "relist-1", index, count: 3 }, 2, 1, 1]));
    expect(await send(parts[0]!)).toMatchObject({ pods: 2, podsRemoved: 0, nodesRemoved: 0, chunk: { index: 0, count: 3, received: 1, applied: false } });
    expect(await send(parts[2]!)).toMatchObject({ podsRemoved: 0, chunk: { index: 2, received: 2, applied: false } });
    // everything the parts so far showed is stored, and nothing is removed yet
    expect(await podsOf()).toEqual(["a-1-x", "a-1-y", "c-1-x", "c-1-y", "old-1-a"]);
    expect(await nodesOf()).toEqual(["node-1", "node-3", "node-gone"]);
    // the same part again (a resend) counts once
    expect((await send(parts[2]!)).chunk).toMatchObject({ received: 2, applied: false });
    expect(await send(parts[1]!)).toMatchObject({ podsRemoved: 1, nodesRemoved: 1, chunk: { index: 1, received: 3, applied: true } });
    expect(await podsOf()).toEqual(["a-1-x", "a-1-y", "b-1-x", "b-1-y", "c-1-x", "c-1-y"]);
    expect(await nodesOf()).toEqual(["node-1", "node-2", "node-3"]);
    expect((await db.select({ name: workloads.name }).from(workloads).where(eq(workloads.clusterId, k3!.id)).orderBy(asc(workloads.name))).map((w) => w.name)).toEqual(["a", "b", "c"]);

    // a relist that loses a part: what it showed is stored, nothing is removed
    const smaller = snap({ deployments: [deployment("a", "256Mi")], replicaSets: [rs("a-1", "a")], pods: [pod("a-1-x", "a-1"), pod("a-1-z", "a-1")], nodes: [node("node-1"), node("node-2")] });
    const lost = chunkSnapshot(smaller, { pods: 1, workloads: 1, nodes: 1 }, "relist-2");
    expect(await send(lost[0]!)).toMatchObject({ podsRemoved: 0, chunk: { received: 1, applied: false } });
    expect(await podsOf()).toEqual(["a-1-x", "a-1-y", "b-1-x", "b-1-y", "c-1-x", "c-1-y"]);
    // the next relist in one batch applies its removals, and the lost relist's part is cleared away
    expect(await send(smaller)).toMatchObject({ podsRemoved: 5, nodesRemoved: 1 });
    expect(await podsOf()).toEqual(["a-1-x", "a-1-z"]);
    const again = chunkSnapshot(smaller, { pods: 1, workloads: 1, nodes: 1 }, "relist-3");
    await send(again[0]!);
    expect((await send(again[1]!)).chunk).toMatchObject({ received: 2, count: 2, applied: true });
    expect(await db.select().from(ingestBatches).where(eq(ingestBatches.clusterId, k3!.id))).toEqual([]);
  });

  it("a part is refused with its path when it is not of a complete relist or its index is past its count", async () => {
    const paths = (snapshot: unknown) => ingestBatchSchema.safeParse({ snapshot }).error?.issues.map((i) => i.path.join("."));
    expect(paths({ complete: false, chunk: { id: "r", index: 0, count: 2 } })).toEqual(["snapshot.chunk"]);
    expect(paths({ complete: true, chunk: { id: "r", index: 2, count: 2 } })).toEqual(["snapshot.chunk.index"]);
    expect(paths({ complete: true, chunk: { id: "r%", index: 0, count: 2 } })).toEqual(["snapshot.chunk.id"]);
    expect(paths({ complete: true, chunk: { id: "r", index: 1, count: 2 } })).toBeUndefined();
  });

  it("a node's SystemOOM is stored as itself, under no workload, once per occurrence; a pod's kill without a workload is refused", async () => {
    const systemOom = { podUid: "event:ev-1", pod: "node-1", namespace: "default", workloadKind: null, workloadName: null, container: "", containerKind: "main", reason: "SystemOOM", exitCode: null, finishedAt: "2026-11-29T09:30:00Z", restartCount: 2, node: "node-1", message: "System OOM encountered, victim process: java, pid: 4242" };
    const body = { terminations: [systemOom] };
    expect(await ingestBatch(db, { orgId, clusterId, body, raw: JSON.stringify(body), idempotencyKey: null, now })).toMatchObject({ stored: 1, incidentsOpened: 0 });
    expect(await ingestBatch(db, { orgId, clusterId, body, raw: JSON.stringify(body), idempotencyKey: null, now })).toMatchObject({ stored: 0, duplicates: 1 });
    const rows = await db.select().from(oomEvents).where(and(eq(oomEvents.clusterId, clusterId), eq(oomEvents.reason, "SystemOOM")));
    expect(rows.map((r) => [r.workloadId, r.podName, r.node, r.containerName, r.message])).toEqual([[null, "node-1", "node-1", "", "System OOM encountered, victim process: java, pid: 4242"]]);
    const orphan = { terminations: [{ ...systemOom, reason: "OOMKilled" }] };
    await expect(ingestBatch(db, { orgId, clusterId, body: orphan, raw: JSON.stringify(orphan), idempotencyKey: null, now })).rejects.toThrow(/workloadKind/);
  });
});
