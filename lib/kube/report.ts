import type { IngestTermination } from "@/lib/schemas/ingest";
import type { SnapshotWorkloadKind } from "./snapshot";
import type { SystemOom, Termination } from "./terminations";

/**
 * How a termination is reported to the ingest path, by the agent and by direct mode alike: a pod's
 * terminations under its owning workload, and a node's SystemOOM with the Event's uid standing for
 * the pod uid and the node for the pod, so that each occurrence is stored once by the same unique index.
 */
export function reportTermination(t: Termination, workload: { kind: SnapshotWorkloadKind; name: string }): IngestTermination {
  return {
    podUid: t.podUid, pod: t.pod, namespace: t.namespace, workloadKind: workload.kind, workloadName: workload.name, container: t.container, containerKind: t.containerKind,
    reason: t.reason, exitCode: t.exitCode, finishedAt: t.finishedAt, restartCount: t.restartCount, node: t.node, message: t.message,
  };
}

export function reportSystemOom(s: SystemOom, namespace: string | undefined): IngestTermination {
  return {
    podUid: `event:${s.eventUid}`, pod: s.node, namespace: namespace || "default", workloadKind: null, workloadName: null, container: "", containerKind: "main",
    reason: "SystemOOM", exitCode: null, finishedAt: s.at, restartCount: s.count, node: s.node, message: s.message,
  };
}
