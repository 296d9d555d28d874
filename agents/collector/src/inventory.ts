import {
  buildSnapshot, containersOfSpec, nodeOf, podOf,
  type InventorySnapshot, type KubeObjects, type NodeObject, type PodObject, type SnapshotNode, type SnapshotPod, type SnapshotWorkload,
} from "@/lib/kube/snapshot";
import { workloadLabelsOf } from "@/lib/kube/labels";
import type { OwnerResolver } from "./owners";

/** The workload objects a complete snapshot lists (pods and nodes come from the informers' caches). */
export type WorkloadLists = Omit<KubeObjects, "pods" | "nodes">;

const key = (namespace: string, kind: string, name: string) => `${namespace}/${kind}/${name}`;

/**
 * What the agent knows of the cluster's inventory between snapshots: a complete snapshot from the
 * informers' caches and fresh workload lists, then the pods and nodes changed or deleted since, sent
 * as changes. A pod whose ReplicaSet or Job the last lists did not show (a rollout, a new job) asks
 * for the next complete snapshot (`wantsComplete`).
 */
export class InventoryTracker {
  private changedPods = new Map<string, PodObject>();
  private removedPods = new Set<string>();
  private changedNodes = new Map<string, NodeObject>();
  private known = new Set<string>();
  wantsComplete = false;

  constructor(
    private readonly deps: {
      listWorkloads: () => Promise<WorkloadLists>;
      pods: () => PodObject[];
      nodes: () => NodeObject[];
      owners: OwnerResolver;
      namespaces: string[] | null;
    },
  ) {}

  podChanged(pod: PodObject) {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    this.changedPods.set(uid, pod);
    this.removedPods.delete(uid);
    if (!this.deps.owners.isKnown(pod)) this.wantsComplete = true;
  }

  podDeleted(pod: PodObject) {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    this.changedPods.delete(uid);
    this.removedPods.add(uid);
  }

  nodeChanged(node: NodeObject) {
    if (node.metadata?.name) this.changedNodes.set(node.metadata.name, node);
  }

  /** Everything in the watched namespaces now: workload lists read afresh, pods and nodes from the caches. */
  async complete(): Promise<InventorySnapshot> {
    // changes seen from here on go into the next changes; the complete snapshot covers the ones before
    this.changedPods.clear();
    this.removedPods.clear();
    this.changedNodes.clear();
    this.wantsComplete = false;
    const lists = await this.deps.listWorkloads();
    for (const r of lists.replicaSets ?? []) if (r.metadata?.name && r.metadata.namespace) this.deps.owners.prime(r.metadata.namespace, { kind: "ReplicaSet", name: r.metadata.name }, r);
    for (const j of lists.jobs ?? []) if (j.metadata?.name && j.metadata.namespace) this.deps.owners.prime(j.metadata.namespace, { kind: "Job", name: j.metadata.name }, j);
    const snapshot = buildSnapshot({ ...lists, pods: this.deps.pods(), nodes: this.deps.nodes() }, { complete: true, namespaces: this.deps.namespaces });
    this.known = new Set(snapshot.workloads.map((w) => key(w.namespace, w.kind, w.name)));
    return snapshot;
  }

  /** The pods and nodes changed or deleted since the last snapshot; null when nothing did. */
  async changes(): Promise<InventorySnapshot | null> {
    if (!this.changedPods.size && !this.removedPods.size && !this.changedNodes.size) return null;
    const changed = [...this.changedPods.values()];
    const removed = [...this.removedPods];
    const nodes = [...this.changedNodes.values()].map(nodeOf).filter((n): n is SnapshotNode => n !== null);
    this.changedPods.clear();
    this.removedPods.clear();
    this.changedNodes.clear();
    const pods: SnapshotPod[] = [];
    const workloads: SnapshotWorkload[] = [];
    for (const p of changed) {
      const ref = await this.deps.owners.workloadOf(p);
      const entry = podOf(p, ref);
      if (!entry) continue;
      pods.push(entry);
      const k = key(entry.namespace, ref.kind, ref.name);
      // a workload the last complete snapshot did not have: described from its pod until the next one
      if (!this.known.has(k)) {
        this.known.add(k);
        workloads.push({
          kind: ref.kind, namespace: entry.namespace, name: ref.name, replicas: 1, containers: containersOfSpec(p.spec),
          ...(ref.kind === "Pod" ? { labels: workloadLabelsOf(p.metadata?.labels) } : {}),
        });
      }
    }
    return { complete: false, namespaces: this.deps.namespaces, workloads, pods, nodes, removedPods: removed };
  }
}
