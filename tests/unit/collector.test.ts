import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "@/agents/collector/src/config";
import { OwnerResolver } from "@/agents/collector/src/owners";
import { InventoryTracker } from "@/agents/collector/src/inventory";
import { FatalPushError, Pusher, type Fetch } from "@/agents/collector/src/pusher";
import { chunkSnapshot, SNAPSHOT_LIMITS, type InventorySnapshot } from "@/lib/kube/snapshot";
import { ingestBatchSchema, type IngestTermination } from "@/lib/schemas/ingest";

const TOKEN = `hra_${"a".repeat(43)}`;
const t = (i: number): IngestTermination => ({
  podUid: `u${i}`, pod: `p-${i}`, namespace: "ns", workloadKind: "Deployment", workloadName: "w", container: "c", containerKind: "main",
  reason: "OOMKilled", exitCode: 137, finishedAt: new Date(1_800_000_000_000 + i * 1000).toISOString(), restartCount: 1, node: null, message: null,
});

/** A fake app answering with the given statuses in turn, recording each request. */
function app(statuses: number[]) {
  const calls: { key: string; count: number; headers: Record<string, string>; snapshot?: InventorySnapshot }[] = [];
  const fetchFn: Fetch = async (_url, init) => {
    const body = JSON.parse(gunzipSync(init.body).toString());
    calls.push({ key: init.headers["idempotency-key"]!, count: body.terminations.length, headers: init.headers, snapshot: body.snapshot });
    const status = statuses.shift() ?? 200;
    return { status, text: async () => "" };
  };
  return { calls, fetchFn };
}
const noSleep = async () => {};

describe("the agent's pusher", () => {
  it("retries 429, 5xx and network errors with the same Idempotency-Key, then sends", async () => {
    const a = app([429, 503]);
    const sleeps: number[] = [];
    const p = new Pusher({ url: "https://h.example", token: TOKEN, maxBatch: 500, maxBuffer: 100, version: "t" }, a.fetchFn, async (ms) => void sleeps.push(ms), () => 1);
    p.add([t(1), t(2)]);
    await p.flush();
    expect(a.calls.map((c) => c.count)).toEqual([2, 2, 2]);
    expect(new Set(a.calls.map((c) => c.key)).size).toBe(1);
    expect(a.calls[0]!.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, "content-encoding": "gzip" });
    // exponential, with jitter (random() = 1 here): 250 ms then 500 ms
    expect(sleeps).toEqual([250, 500]);
    expect(p.stats).toMatchObject({ sent: 2, batches: 1, retries: 2, buffered: 0 });
  });

  it("stops on 401 and 403 instead of retrying", async () => {
    for (const status of [401, 403]) {
      const a = app([status]);
      const p = new Pusher({ url: "https://h.example", token: TOKEN, maxBatch: 500, maxBuffer: 100, version: "t" }, a.fetchFn, noSleep);
      p.add([t(1)]);
      await expect(p.flush()).rejects.toBeInstanceOf(FatalPushError);
      expect(a.calls).toHaveLength(1);
    }
  });

  it("halves a batch the app finds too large (413), and sends batches of at most maxBatch", async () => {
    const a = app([413]);
    const p = new Pusher({ url: "https://h.example", token: TOKEN, maxBatch: 4, maxBuffer: 100, version: "t" }, a.fetchFn, noSleep);
    p.add([1, 2, 3, 4, 5, 6].map(t));
    await p.flush();
    expect(a.calls.map((c) => c.count)).toEqual([4, 2, 2, 2]);
    expect(p.stats.sent).toBe(6);
  });

  it("keeps a bounded buffer: past it the oldest are dropped and counted; a refused batch (400) is dropped, not retried", async () => {
    const a = app([400]);
    const p = new Pusher({ url: "https://h.example", token: TOKEN, maxBatch: 10, maxBuffer: 3, version: "t" }, a.fetchFn, noSleep);
    p.add([1, 2, 3, 4, 5].map(t));
    expect(p.stats).toMatchObject({ dropped: 2, buffered: 3 });
    await p.flush();
    expect(a.calls).toHaveLength(1);
    expect(p.stats).toMatchObject({ dropped: 5, sent: 0 });
  });
});

describe("the agent's configuration", () => {
  it("reads flags over the environment and refuses what cannot work", () => {
    const c = loadConfig(["--url", "https://headroom.example.com/", "--namespaces", "a, b"], { HEADROOM_TOKEN: TOKEN });
    expect(c).toMatchObject({ url: "https://headroom.example.com", token: TOKEN, namespaces: ["a", "b"], kubeconfig: null, flushIntervalMs: 1000 });
    expect(() => loadConfig([], { HEADROOM_TOKEN: TOKEN })).toThrow(/HEADROOM_URL/);
    expect(() => loadConfig(["--url", "https://x.example"], { HEADROOM_TOKEN: "nope" })).toThrow(/agent token/);
    expect(() => loadConfig(["--bogus", "1"], {})).toThrow(ConfigError);
  });
});

describe("a pod's workload", () => {
  it("Pod → ReplicaSet → Deployment, Pod → Job → CronJob, read once and cached; StatefulSets directly; a bare pod as itself", async () => {
    let reads = 0;
    const r = new OwnerResolver({
      replicaSet: async () => (reads++, { metadata: { ownerReferences: [{ kind: "Deployment", name: "api", controller: true }] } }),
      job: async () => (reads++, { metadata: { ownerReferences: [{ kind: "CronJob", name: "nightly", controller: true }] } }),
    });
    const pod = (kind: string, name: string) => ({ metadata: { name: "p", namespace: "ns", ownerReferences: [{ kind, name, controller: true }] } });
    expect(await r.workloadOf(pod("ReplicaSet", "api-7d9f"))).toEqual({ kind: "Deployment", name: "api" });
    expect(await r.workloadOf(pod("ReplicaSet", "api-7d9f"))).toEqual({ kind: "Deployment", name: "api" });
    expect(await r.workloadOf(pod("Job", "nightly-2911"))).toEqual({ kind: "CronJob", name: "nightly" });
    expect(reads).toBe(2);
    expect(await r.workloadOf(pod("StatefulSet", "db"))).toEqual({ kind: "StatefulSet", name: "db" });
    expect(await r.workloadOf({ metadata: { name: "lonely", namespace: "ns" } })).toEqual({ kind: "Pod", name: "lonely" });
  });
});

const snapshot = (complete: boolean, pods: number, tag = ""): InventorySnapshot => ({
  complete, namespaces: null, workloads: [], nodes: [], removedPods: [],
  pods: Array.from({ length: pods }, (_, i) => ({ uid: `${tag}${i}`, namespace: "ns", name: `p-${i}`, workloadKind: "Deployment", workloadName: "w", node: null, phase: "Running", startedAt: null })),
});

describe("the agent's inventory snapshots in the pusher", () => {
  it("a complete snapshot replaces the queued ones; each goes with the terminations of its batch", async () => {
    const a = app([]);
    const p = new Pusher({ url: "https://h.example", token: TOKEN, maxBatch: 500, maxBuffer: 100, version: "t" }, a.fetchFn, noSleep);
    p.addSnapshot(snapshot(false, 2, "old"));
    p.addSnapshot(snapshot(true, 3));
    p.addSnapshot(snapshot(false, 1, "new"));
    p.add([t(1)]);
    await p.flush();
    expect(a.calls.map((c) => [c.count, c.snapshot?.complete, c.snapshot?.pods.length])).toEqual([[1, true, 3], [0, false, 1]]);
    expect(p.stats).toMatchObject({ sent: 1, snapshotsSent: 2, snapshotsDropped: 1 });
  });

  it("a full buffer drops snapshots before any termination, and asks for a complete snapshot again", () => {
    const p = new Pusher({ url: "https://h.example", token: TOKEN, maxBatch: 500, maxBuffer: 3, version: "t", maxSnapshotEntries: 10 }, app([]).fetchFn, noSleep);
    p.addSnapshot(snapshot(true, 10));
    expect(p.queuedSnapshots).toBe(1);
    p.add([1, 2, 3].map(t));
    expect(p).toMatchObject({ queuedSnapshots: 1, needsCompleteSnapshot: false });
    p.add([t(4)]);
    expect(p.stats).toMatchObject({ buffered: 3, dropped: 1, snapshotsDropped: 1 });
    expect(p).toMatchObject({ queuedSnapshots: 0, needsCompleteSnapshot: true });
    // a snapshot larger than its share is never queued
    p.addSnapshot(snapshot(false, 11));
    expect(p.queuedSnapshots).toBe(0);
  });

  it("a snapshot the app refuses (400) or finds too large (413) is dropped; the terminations beside it are sent again without it", async () => {
    for (const status of [400, 413]) {
      const a = app([status]);
      const p = new Pusher({ url: "https://h.example", token: TOKEN, maxBatch: 500, maxBuffer: 100, version: "t" }, a.fetchFn, noSleep);
      p.addSnapshot(snapshot(true, 2));
      p.add([t(1), t(2)]);
      await p.flush();
      expect(a.calls.map((c) => [c.count, c.snapshot ? "snapshot" : "-"])).toEqual([[2, "snapshot"], [2, "-"]]);
      expect(p.stats).toMatchObject({ sent: 2, snapshotsSent: 0, snapshotsDropped: 1 });
      expect(p.needsCompleteSnapshot).toBe(true);
    }
  });
});

describe("a complete relist bigger than one batch", () => {
  it("is cut in parts within the ingest caps, each valid, together the whole relist", () => {
    const whole = snapshot(true, SNAPSHOT_LIMITS.pods + 1);
    const parts = chunkSnapshot(whole, SNAPSHOT_LIMITS, "r1");
    expect(parts.map((x) => [x.chunk, x.pods.length, x.complete])).toEqual([[{ id: "r1", index: 0, count: 2 }, 25_001, true], [{ id: "r1", index: 1, count: 2 }, 25_000, true]]);
    expect(parts.every((x) => ingestBatchSchema.safeParse({ snapshot: x }).success)).toBe(true);
    expect(ingestBatchSchema.safeParse({ snapshot: whole }).error?.issues.map((i) => i.path.join("."))).toEqual(["snapshot.pods"]);
    expect(parts.flatMap((x) => x.pods.map((p) => p.uid))).toEqual(whole.pods.map((p) => p.uid));
    // one that fits goes whole, as before
    expect(chunkSnapshot(snapshot(true, SNAPSHOT_LIMITS.pods), SNAPSHOT_LIMITS, "r2")).toEqual([snapshot(true, SNAPSHOT_LIMITS.pods)]);
  });

  it("the pusher sends every part in order (a later part does not replace an earlier one), more than its snapshot share if need be; a refused part drops the others", async () => {
    const parts = chunkSnapshot(snapshot(true, 30), { pods: 10, workloads: 10, nodes: 10 }, "r1");
    const a = app([]);
    const p = new Pusher({ url: "https://h.example", token: TOKEN, maxBatch: 500, maxBuffer: 100, version: "t", maxSnapshotEntries: 20 }, a.fetchFn, noSleep);
    p.addSnapshot(snapshot(false, 1, "stale"));
    for (const part of parts) p.addSnapshot(part);
    expect(p.queuedSnapshots).toBe(3);
    await p.flush();
    expect(a.calls.map((c) => c.snapshot?.chunk?.index)).toEqual([0, 1, 2]);
    expect(p.stats).toMatchObject({ snapshotsSent: 3, snapshotsDropped: 1 });

    const refusing = app([400]);
    const q = new Pusher({ url: "https://h.example", token: TOKEN, maxBatch: 500, maxBuffer: 100, version: "t" }, refusing.fetchFn, noSleep);
    for (const part of parts) q.addSnapshot(part);
    await q.flush();
    expect(refusing.calls.map((c) => c.snapshot?.chunk?.index)).toEqual([0]);
    expect(q.stats).toMatchObject({ snapshotsSent: 0, snapshotsDropped: 3 });
    expect(q.needsCompleteSnapshot).toBe(true);
  });
});

describe("the agent's inventory between snapshots", () => {
  const rsPod = (name: string, rs: string, phase = "Running") => ({ metadata: { name, namespace: "ns", uid: `uid-${name}`, ownerReferences: [{ kind: "ReplicaSet", name: rs, controller: true }] }, spec: { containers: [{ name: "app" }] }, status: { phase } });
  const setup = () => {
    let reads = 0;
    const owners = new OwnerResolver({ replicaSet: async () => (reads++, { metadata: { ownerReferences: [{ kind: "Deployment", name: "api", controller: true }] } }), job: async () => null });
    const pods = [rsPod("api-1", "api-7d9f")];
    const tracker = new InventoryTracker({
      listWorkloads: async () => ({ deployments: [{ metadata: { name: "api", namespace: "ns" }, spec: { replicas: 2 } }], replicaSets: [{ metadata: { name: "api-7d9f", namespace: "ns", ownerReferences: [{ kind: "Deployment", name: "api", controller: true }] } }] }),
      pods: () => pods, nodes: () => [{ metadata: { name: "n1" }, status: { allocatable: { memory: "1Gi" } } }], owners, namespaces: null,
    });
    return { tracker, reads: () => reads };
  };

  it("sends a complete snapshot, then only the pods and nodes changed or deleted since, resolved from the lists without API reads", async () => {
    const { tracker, reads } = setup();
    const full = await tracker.complete();
    expect(full).toMatchObject({ complete: true, pods: [{ name: "api-1", workloadKind: "Deployment", workloadName: "api" }], nodes: [{ name: "n1" }] });
    expect(await tracker.changes()).toBeNull();
    tracker.podChanged(rsPod("api-2", "api-7d9f", "Pending"));
    tracker.podDeleted(rsPod("api-1", "api-7d9f"));
    tracker.nodeChanged({ metadata: { name: "n1" }, status: { conditions: [{ type: "MemoryPressure", status: "True" }] } });
    const changes = await tracker.changes();
    expect(changes).toMatchObject({ complete: false, workloads: [], removedPods: ["uid-api-1"], nodes: [{ name: "n1", memoryPressure: true }] });
    expect(changes!.pods.map((p) => `${p.name}:${p.workloadKind}/${p.workloadName}:${p.phase}`)).toEqual(["api-2:Deployment/api:Pending"]);
    expect(reads()).toBe(0);
    expect(tracker.wantsComplete).toBe(false);
    expect(await tracker.changes()).toBeNull();
  });

  it("a pod of a ReplicaSet the lists did not show (a rollout) is resolved by reading it, and asks for a complete snapshot", async () => {
    const { tracker, reads } = setup();
    await tracker.complete();
    tracker.podChanged(rsPod("api-new", "api-8a8a"));
    expect(tracker.wantsComplete).toBe(true);
    const changes = await tracker.changes();
    expect(changes!.pods[0]).toMatchObject({ workloadKind: "Deployment", workloadName: "api" });
    expect(reads()).toBe(1);
  });
});
