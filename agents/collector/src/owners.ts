import { directOwner, workloadAbove, type PodObject, type WorkloadRef } from "@/lib/kube/snapshot";

interface Owned { metadata?: { ownerReferences?: { kind?: string; name?: string; controller?: boolean }[] } }

/** Reads a ReplicaSet or Job by namespace and name (the agent's API client; tests give their own). */
export interface OwnerReader {
  replicaSet(namespace: string, name: string): Promise<Owned | null>;
  job(namespace: string, name: string): Promise<Owned | null>;
}

/**
 * The workload a pod belongs to (lib/kube/snapshot's rules: Pod → ReplicaSet → Deployment, Pod → Job →
 * CronJob, StatefulSet and DaemonSet directly, a bare pod as itself), reading intermediate owners from
 * the API once each. The last inventory list primes the cache, so most pods need no read.
 */
export class OwnerResolver {
  private cache = new Map<string, WorkloadRef>();
  constructor(private readonly reader: OwnerReader) {}

  /** Records what the lists say an intermediate owner (a ReplicaSet or a Job) belongs to. */
  prime(namespace: string, intermediate: WorkloadRef, owner: Owned) {
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(`${namespace}/${intermediate.kind}/${intermediate.name}`, workloadAbove(intermediate, owner));
  }

  /** Whether the pod's owner is known without reading the API (a new ReplicaSet means a rollout: time to list again). */
  isKnown(pod: PodObject): boolean {
    const d = directOwner(pod);
    return !d.intermediate || this.cache.has(`${pod.metadata?.namespace ?? "default"}/${d.ref.kind}/${d.ref.name}`);
  }

  async workloadOf(pod: PodObject): Promise<WorkloadRef> {
    const ns = pod.metadata?.namespace ?? "default";
    const direct = directOwner(pod);
    if (!direct.intermediate) return direct.ref;
    const key = `${ns}/${direct.ref.kind}/${direct.ref.name}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let owner: Owned | null;
    try {
      owner = direct.ref.kind === "ReplicaSet" ? await this.reader.replicaSet(ns, direct.ref.name) : await this.reader.job(ns, direct.ref.name);
    } catch {
      // the owner is gone or unreadable: the intermediate owner stands for the workload (not cached, read again next time)
      return direct.ref;
    }
    const resolved = workloadAbove(direct.ref, owner);
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(key, resolved);
    return resolved;
  }
}
