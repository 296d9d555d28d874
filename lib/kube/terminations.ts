/**
 * How containers die, read from a pod as the Kubernetes API returns it (core/v1 Pod). Pure: the
 * agent, the direct mode and the tests share it.
 */

/**
 * What a termination was. Only `OOMKilled` opens an incident; the others are recorded as themselves.
 * `SystemOOM` is the node's kernel (not a container's cgroup) killing a process: a node event, no pod.
 */
export const TERMINATION_REASONS = ["OOMKilled", "Killed", "Terminated", "Error", "Evicted", "SystemOOM"] as const;
export type TerminationReason = (typeof TERMINATION_REASONS)[number];

export type ContainerKind = "main" | "init" | "sidecar";

export interface Termination {
  podUid: string;
  pod: string;
  namespace: string;
  /** empty for a pod-level event (an eviction) */
  container: string;
  containerKind: ContainerKind;
  reason: TerminationReason;
  exitCode: number | null;
  /** RFC 3339, as the API reports it */
  finishedAt: string;
  restartCount: number;
  node: string | null;
  /** the kubelet's words (an eviction's "The node was low on resource: memory…"); at most 500 characters */
  message: string | null;
  /** the container is now waiting in CrashLoopBackOff */
  crashLooping: boolean;
}

interface TerminatedState {
  exitCode?: number;
  reason?: string;
  message?: string;
  finishedAt?: string | Date;
  signal?: number;
}
interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { terminated?: TerminatedState; waiting?: { reason?: string } };
  lastState?: { terminated?: TerminatedState };
}
/** The parts of a core/v1 Pod this reads (field names exactly as the API writes them). */
export interface PodLike {
  metadata?: { uid?: string; name?: string; namespace?: string; deletionTimestamp?: string | Date };
  spec?: { nodeName?: string; initContainers?: { name: string; restartPolicy?: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    startTime?: string | Date;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    conditions?: { type?: string; lastTransitionTime?: string | Date }[];
  };
}

const iso = (t: string | Date | undefined) => (t === undefined ? undefined : typeof t === "string" ? t : t.toISOString());
const clip = (s: string | undefined) => (s ? s.replace(/[\u0000-\u001f\u007f]+/g, " ").slice(0, 500) : null);

/**
 * What a terminated state was: the kernel's cgroup OOM killer (reason OOMKilled, exit 137); another
 * SIGKILL (137 without OOMKilled: a failed liveness probe, `kill -9`, the runtime); SIGTERM (143); any
 * other non-zero exit. A clean exit (0) is not a termination worth recording.
 */
export function classifyTerminated(t: TerminatedState): Exclude<TerminationReason, "Evicted" | "SystemOOM"> | null {
  if (t.reason === "OOMKilled") return "OOMKilled";
  const code = t.exitCode ?? null;
  if (code === 137 || t.signal === 9) return "Killed";
  if (code === 143 || t.signal === 15) return "Terminated";
  if (code === 0 && t.reason !== "Error") return null;
  return "Error";
}

/** Every termination a pod shows: each container's current and last terminated state, and the pod's eviction. */
export function terminationsOfPod(pod: PodLike): Termination[] {
  const uid = pod.metadata?.uid;
  const name = pod.metadata?.name;
  const namespace = pod.metadata?.namespace;
  if (!uid || !name || !namespace) return [];
  const node = pod.spec?.nodeName ?? null;
  // native sidecars are init containers with restartPolicy Always: they run beside the main ones
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always").map((c) => c.name));
  const out: Termination[] = [];
  const seen = new Set<string>();
  const add = (s: ContainerStatus, kind: ContainerKind) => {
    const crashLooping = s.state?.waiting?.reason === "CrashLoopBackOff";
    for (const t of [s.lastState?.terminated, s.state?.terminated]) {
      if (!t) continue;
      const reason = classifyTerminated(t);
      const finishedAt = iso(t.finishedAt);
      if (!reason || !finishedAt) continue;
      const key = `${s.name}|${finishedAt}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        podUid: uid, pod: name, namespace, container: s.name, containerKind: kind, reason, exitCode: t.exitCode ?? null, finishedAt,
        restartCount: s.restartCount ?? 0, node, message: clip(t.message), crashLooping,
      });
    }
  };
  for (const s of pod.status?.initContainerStatuses ?? []) add(s, sidecars.has(s.name) ? "sidecar" : "init");
  for (const s of pod.status?.containerStatuses ?? []) add(s, "main");
  if (pod.status?.phase === "Failed" && pod.status.reason === "Evicted") {
    // the kubelet does not stamp the eviction: the Ready condition's last change is when it happened
    const at = iso(pod.status.conditions?.find((c) => c.type === "Ready" || c.type === "DisruptionTarget")?.lastTransitionTime) ?? iso(pod.metadata?.deletionTimestamp) ?? iso(pod.status.startTime);
    if (at) {
      out.push({ podUid: uid, pod: name, namespace, container: "", containerKind: "main", reason: "Evicted", exitCode: null, finishedAt: at, restartCount: 0, node, message: clip(pod.status.message), crashLooping: false });
    }
  }
  return out;
}

/** Whether an eviction's message says the node ran short of memory (not disk or PIDs). */
export const isMemoryPressureEviction = (t: Termination) => t.reason === "Evicted" && /\bmemory\b/i.test(t.message ?? "");

/** The parts of a core/v1 Event this reads. */
export interface EventLike {
  metadata?: { uid?: string; namespace?: string };
  reason?: string;
  message?: string;
  count?: number;
  involvedObject?: { kind?: string; name?: string };
  firstTimestamp?: string | Date;
  lastTimestamp?: string | Date;
  eventTime?: string | Date;
  series?: { lastObservedTime?: string | Date; count?: number };
}

/** A node's SystemOOM as the agent reports it: the node, when it was last seen, how many times, the kernel's victim. */
export interface SystemOom {
  /** the Event's uid: with `at`, one stored row per occurrence the API shows (repeats update the same Event) */
  eventUid: string;
  node: string;
  at: string;
  count: number;
  message: string | null;
}

/**
 * A kubelet's SystemOOM event (reason SystemOOM, involvedObject a Node): the kernel's global OOM
 * killer ran on the node because the node itself ran out of memory, whatever the containers' limits.
 */
export function systemOomOfEvent(e: EventLike): SystemOom | null {
  if (e.reason !== "SystemOOM" || e.involvedObject?.kind !== "Node" || !e.involvedObject.name || !e.metadata?.uid) return null;
  const at = iso(e.series?.lastObservedTime) ?? iso(e.lastTimestamp) ?? iso(e.eventTime) ?? iso(e.firstTimestamp);
  if (!at) return null;
  return { eventUid: e.metadata.uid, node: e.involvedObject.name, at, count: e.series?.count ?? e.count ?? 1, message: clip(e.message) };
}
