import { describe, expect, it } from "vitest";
import { classifyTerminated, isMemoryPressureEviction, systemOomOfEvent, terminationsOfPod, type PodLike } from "@/lib/kube/terminations";

const pod = (status: PodLike["status"], spec: PodLike["spec"] = { nodeName: "node-a" }): PodLike => ({
  metadata: { uid: "uid-1", name: "api-7d9f-abcde", namespace: "payments" },
  spec,
  status,
});
const at = "2026-11-29T10:00:00Z";

describe("what a terminated state was", () => {
  it.each([
    [{ reason: "OOMKilled", exitCode: 137 }, "OOMKilled"],
    [{ reason: "Error", exitCode: 137 }, "Killed"],
    [{ exitCode: 137 }, "Killed"],
    [{ reason: "Error", exitCode: 143 }, "Terminated"],
    [{ reason: "Error", exitCode: 1 }, "Error"],
    [{ reason: "Error", exitCode: 2 }, "Error"],
    [{ reason: "Completed", exitCode: 0 }, null],
  ] as const)("%j → %s", (t, reason) => expect(classifyTerminated(t)).toBe(reason));
});

describe("the terminations a pod shows", () => {
  it("an OOMKill in lastState while the container crash-loops: one record, OOMKilled, with node and restarts", () => {
    const p = pod({ phase: "Running", containerStatuses: [{ name: "api", restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { reason: "OOMKilled", exitCode: 137, finishedAt: at } } }] });
    expect(terminationsOfPod(p)).toEqual([
      { podUid: "uid-1", pod: "api-7d9f-abcde", namespace: "payments", container: "api", containerKind: "main", reason: "OOMKilled", exitCode: 137, finishedAt: at, restartCount: 4, node: "node-a", message: null, crashLooping: true },
    ]);
  });

  it("the same kill in state and lastState is one record; a liveness kill is Killed, not OOMKilled", () => {
    const p = pod({ containerStatuses: [{ name: "api", state: { terminated: { reason: "Error", exitCode: 137, finishedAt: at } }, lastState: { terminated: { reason: "Error", exitCode: 137, finishedAt: at } } }] });
    const t = terminationsOfPod(p);
    expect(t).toHaveLength(1);
    expect(t[0]!.reason).toBe("Killed");
  });

  it("init containers and native sidecars count as themselves, never folded into the main container", () => {
    const p = pod(
      {
        initContainerStatuses: [
          { name: "migrate", lastState: { terminated: { reason: "Error", exitCode: 1, finishedAt: at } } },
          { name: "envoy", lastState: { terminated: { reason: "OOMKilled", exitCode: 137, finishedAt: at } } },
        ],
        containerStatuses: [{ name: "api", lastState: { terminated: { reason: "Error", exitCode: 143, finishedAt: at } } }],
      },
      { nodeName: "node-b", initContainers: [{ name: "migrate" }, { name: "envoy", restartPolicy: "Always" }] },
    );
    expect(terminationsOfPod(p).map((t) => [t.container, t.containerKind, t.reason])).toEqual([
      ["migrate", "init", "Error"],
      ["envoy", "sidecar", "OOMKilled"],
      ["api", "main", "Terminated"],
    ]);
  });

  it("an eviction for node memory pressure is a pod-level Evicted record with the kubelet's message", () => {
    const p = pod({
      phase: "Failed", reason: "Evicted", message: "The node was low on resource: memory. Threshold quantity: 100Mi, available: 52Mi. Container api was using 1.2Gi, request is 512Mi.",
      conditions: [{ type: "Ready", lastTransitionTime: at }],
    });
    const [t] = terminationsOfPod(p);
    expect(t).toMatchObject({ reason: "Evicted", container: "", node: "node-a", finishedAt: at });
    expect(isMemoryPressureEviction(t!)).toBe(true);
    expect(isMemoryPressureEviction({ ...t!, message: "The node was low on resource: ephemeral-storage." })).toBe(false);
  });

  it("a pod without identity or a clean exit gives nothing", () => {
    expect(terminationsOfPod({ status: { containerStatuses: [{ name: "api", lastState: { terminated: { reason: "OOMKilled", finishedAt: at } } }] } })).toEqual([]);
    expect(terminationsOfPod(pod({ containerStatuses: [{ name: "job", state: { terminated: { reason: "Completed", exitCode: 0, finishedAt: at } } }] }))).toEqual([]);
  });
});

describe("a node's SystemOOM event", () => {
  const event = (over: Record<string, unknown> = {}) => ({
    metadata: { uid: "ev-1", namespace: "default" }, reason: "SystemOOM", message: "System OOM encountered, victim process: java, pid: 4242",
    involvedObject: { kind: "Node", name: "node-a" }, count: 3, firstTimestamp: "2026-11-29T09:00:00Z", lastTimestamp: "2026-11-29T10:00:00Z", ...over,
  });
  it("is the node, its last occurrence, how many times, and the kernel's words", () => {
    expect(systemOomOfEvent(event())).toEqual({ eventUid: "ev-1", node: "node-a", at: "2026-11-29T10:00:00Z", count: 3, message: "System OOM encountered, victim process: java, pid: 4242" });
  });
  it("an events.k8s.io series' last observation wins over the legacy timestamps", () => {
    expect(systemOomOfEvent(event({ series: { lastObservedTime: "2026-11-29T10:05:00Z", count: 5 } }))).toMatchObject({ at: "2026-11-29T10:05:00Z", count: 5 });
  });
  it("anything else is not one: another reason, a pod's event, no time", () => {
    expect(systemOomOfEvent(event({ reason: "OOMKilling" }))).toBeNull();
    expect(systemOomOfEvent(event({ involvedObject: { kind: "Pod", name: "x" } }))).toBeNull();
    expect(systemOomOfEvent(event({ firstTimestamp: undefined, lastTimestamp: undefined }))).toBeNull();
  });
});
