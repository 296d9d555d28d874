import type { WORKLOAD_KINDS } from "@/lib/schemas/ingest";

type Kind = (typeof WORKLOAD_KINDS)[number];
interface OwnerRef { kind?: string; name?: string; controller?: boolean }
interface Owned { metadata?: { ownerReferences?: OwnerRef[] } }

/** Reads a ReplicaSet or Job by namespace and name (the agent's API client; tests give their own). */
export interface OwnerReader {
  replicaSet(namespace: string, name: string): Promise<Owned | null>;
  job(namespace: string, name: string): Promise<Owned | null>;
}

const controllerOf = (o: Owned | null | undefined) => o?.metadata?.ownerReferences?.find((r) => r.controller) ?? o?.metadata?.ownerReferences?.[0];

/**
 * The workload a pod belongs to: Pod → ReplicaSet → Deployment, Pod → Job → CronJob, StatefulSet and
 * DaemonSet directly, a bare pod as itself. Intermediate owners are read once and cached.
 */
export class OwnerResolver {
  private cache = new Map<string, { kind: Kind; name: string }>();
  constructor(private readonly reader: OwnerReader) {}

  async workloadOf(pod: Owned & { metadata?: { name?: string; namespace?: string } }): Promise<{ kind: Kind; name: string }> {
    const ns = pod.metadata?.namespace ?? "default";
    const owner = controllerOf(pod);
    if (!owner?.kind || !owner.name) return { kind: "Pod", name: pod.metadata?.name ?? "unknown" };
    if (owner.kind === "StatefulSet" || owner.kind === "DaemonSet") return { kind: owner.kind, name: owner.name };
    if (owner.kind !== "ReplicaSet" && owner.kind !== "Job") return { kind: "Pod", name: pod.metadata?.name ?? "unknown" };
    const key = `${ns}/${owner.kind}/${owner.name}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let parent: OwnerRef | undefined;
    try {
      parent = controllerOf(owner.kind === "ReplicaSet" ? await this.reader.replicaSet(ns, owner.name) : await this.reader.job(ns, owner.name));
    } catch {
      // the owner is gone or unreadable: the intermediate owner stands for the workload (not cached, read again next time)
      return { kind: owner.kind, name: owner.name };
    }
    const resolved: { kind: Kind; name: string } =
      owner.kind === "ReplicaSet" && parent?.kind === "Deployment" && parent.name ? { kind: "Deployment", name: parent.name }
      : owner.kind === "Job" && parent?.kind === "CronJob" && parent.name ? { kind: "CronJob", name: parent.name }
      : { kind: owner.kind, name: owner.name };
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(key, resolved);
    return resolved;
  }
}
