import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "@/agents/collector/src/config";
import { OwnerResolver } from "@/agents/collector/src/owners";
import { FatalPushError, Pusher, type Fetch } from "@/agents/collector/src/pusher";
import type { IngestTermination } from "@/lib/schemas/ingest";

const TOKEN = `hra_${"a".repeat(43)}`;
const t = (i: number): IngestTermination => ({
  podUid: `u${i}`, pod: `p-${i}`, namespace: "ns", workloadKind: "Deployment", workloadName: "w", container: "c", containerKind: "main",
  reason: "OOMKilled", exitCode: 137, finishedAt: new Date(1_800_000_000_000 + i * 1000).toISOString(), restartCount: 1, node: null, message: null,
});

/** A fake app answering with the given statuses in turn, recording each request. */
function app(statuses: number[]) {
  const calls: { key: string; count: number; headers: Record<string, string> }[] = [];
  const fetchFn: Fetch = async (_url, init) => {
    const body = JSON.parse(gunzipSync(init.body).toString());
    calls.push({ key: init.headers["idempotency-key"]!, count: body.terminations.length, headers: init.headers });
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
