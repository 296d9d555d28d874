/**
 * The cluster's inventory as the Kubernetes API shows it: workloads with their containers' specs,
 * pods resolved to their owning workload, and nodes. Pure (no I/O, no clock): the agent builds it from
 * its informers and lists, the server's direct mode from its own lists, the tests from plain objects.
 */
import type { ContainerKind } from "./terminations";
import { workloadLabelsOf } from "./labels";
import { parseQuantityBytes } from "./quantity";

export const SNAPSHOT_WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet", "Pod"] as const;
export type SnapshotWorkloadKind = (typeof SNAPSHOT_WORKLOAD_KINDS)[number];

/** An emptyDir with medium Memory a container mounts: a tmpfs whose files count against the container's memory limit. */
export interface MemoryVolume {
  name: string;
  /** the emptyDir's sizeLimit; null when it has none (then it can fill the whole limit) */
  sizeLimitBytes: number | null;
  mountPath: string;
}

export interface SnapshotContainer {
  name: string;
  kind: ContainerKind;
  image: string | null;
  command: string[] | null;
  args: string[] | null;
  /** plain values only: a value from a Secret, ConfigMap or field is the marker ENV_FROM_REFERENCE, never its value */
  env: Record<string, string> | null;
  requestBytes: number | null;
  limitBytes: number | null;
  memoryVolumes: MemoryVolume[];
}

export interface SnapshotWorkload {
  kind: SnapshotWorkloadKind;
  namespace: string;
  name: string;
  replicas: number;
  containers: SnapshotContainer[];
  /** the workload object's metadata.labels (valid ones, at most 64); absent when its object was not read (then the stored ones stand) */
  labels?: Record<string, string>;
}

export interface SnapshotPod {
  uid: string;
  namespace: string;
  name: string;
  workloadKind: SnapshotWorkloadKind;
  workloadName: string;
  node: string | null;
  phase: string;
  /** RFC 3339 (status.startTime); null before the kubelet has started it */
  startedAt: string | null;
}

export interface SnapshotNode {
  name: string;
  allocatableMemoryBytes: number | null;
  capacityMemoryBytes: number | null;
  /** the MemoryPressure condition is True */
  memoryPressure: boolean;
  /** node.kubernetes.io/instance-type (or the beta label) */
  instanceType: string | null;
}

export interface InventorySnapshot {
  /**
   * true: everything in `namespaces` (all when null) as of one relist — pods and nodes absent from it
   * are gone. false: only what changed since the last snapshot.
   */
  complete: boolean;
  /** the namespaces the snapshot covers; null: every namespace */
  namespaces: string[] | null;
  workloads: SnapshotWorkload[];
  pods: SnapshotPod[];
  nodes: SnapshotNode[];
  /** uids of pods deleted since the last snapshot (changes only) */
  removedPods: string[];
  /** one part of a complete relist too big for one batch: removals wait for its last part (chunkSnapshot) */
  chunk?: SnapshotChunk;
}

/** The most one batch's snapshot carries (the ingest schema's caps): a bigger complete relist is sent in parts. */
export const SNAPSHOT_LIMITS = { pods: 50_000, workloads: 20_000, nodes: 10_000 } as const;

/** Which part of a chunked complete relist a snapshot is: the relist's id, the part's index, how many parts. */
export interface SnapshotChunk {
  id: string;
  index: number;
  count: number;
}

/**
 * A complete snapshot as parts within the limits of one batch (pods, workloads and nodes spread evenly,
 * each part complete over the same namespaces, named by `id`); the snapshot itself when it fits.
 */
export function chunkSnapshot(s: InventorySnapshot, limits: { pods: number; workloads: number; nodes: number }, id: string): InventorySnapshot[] {
  if (!s.complete || (s.pods.length <= limits.pods && s.workloads.length <= limits.workloads && s.nodes.length <= limits.nodes)) return [s];
  const count = Math.max(Math.ceil(s.pods.length / limits.pods), Math.ceil(s.workloads.length / limits.workloads), Math.ceil(s.nodes.length / limits.nodes));
  const part = <T>(xs: T[], i: number) => {
    const size = Math.ceil(xs.length / count);
    return xs.slice(i * size, (i + 1) * size);
  };
  return Array.from({ length: count }, (_, index) => ({
    complete: true, namespaces: s.namespaces, workloads: part(s.workloads, index), pods: part(s.pods, index), nodes: part(s.nodes, index), removedPods: [],
    chunk: { id, index, count },
  }));
}

/** What an env variable set from a reference (valueFrom) is recorded as: the reference's kind, never its value. */
export const ENV_FROM_REFERENCE = "(set from a reference)";
/** What a plain env value whose name or content says it holds a credential is recorded as. */
export const ENV_REDACTED = "(redacted)";
// a plain value under such a name is most likely a credential pasted into the manifest: it never leaves the cluster
const CREDENTIAL_NAME = /PASSWORD|PASSWD|PASS$|SECRET|TOKEN|CREDENTIAL|PRIVATE|API_?KEY|ACCESS_?KEY|AUTH|DSN/i;
// …and so is a value that carries one: a URL with user:password@, or `password=…` inside options (JAVA_OPTS="-Ddb.password=…")
const CREDENTIAL_VALUE = /:\/\/[^/\s@:]+:[^/\s@]*@|(pass(word|wd)?|secret|token|api[_-]?key|credentials?)\s*[=:]/i;
// Kubernetes 1.32+ accepts almost any printable name; what the engine reads and the commands print stays a plain identifier
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

// ---- the parts of v1 objects read here (field names exactly as the API writes them) ----

type Time = string | Date;
interface OwnerRef { kind?: string; name?: string; controller?: boolean }
interface Meta { name?: string; namespace?: string; uid?: string; labels?: Record<string, string>; ownerReferences?: OwnerRef[] }
interface EnvVarLike { name: string; value?: string; valueFrom?: object }
interface ContainerLike {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVarLike[];
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  volumeMounts?: { name: string; mountPath: string }[];
  restartPolicy?: string;
}
export interface PodSpecLike {
  nodeName?: string;
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  volumes?: { name: string; emptyDir?: { medium?: string; sizeLimit?: string | number } }[];
}
interface TemplateLike { spec?: PodSpecLike }
export interface PodObject { metadata?: Meta; spec?: PodSpecLike; status?: { phase?: string; startTime?: Time } }
export interface ReplicaSetObject { metadata?: Meta; spec?: { replicas?: number; template?: TemplateLike } }
export interface DeploymentObject { metadata?: Meta; spec?: { replicas?: number; template?: TemplateLike } }
export interface StatefulSetObject { metadata?: Meta; spec?: { replicas?: number; template?: TemplateLike } }
export interface DaemonSetObject { metadata?: Meta; spec?: { template?: TemplateLike }; status?: { desiredNumberScheduled?: number } }
export interface JobObject { metadata?: Meta; spec?: { parallelism?: number; template?: TemplateLike } }
export interface CronJobObject { metadata?: Meta; spec?: { jobTemplate?: { spec?: { parallelism?: number; template?: TemplateLike } } } }
export interface NodeObject {
  metadata?: Meta;
  status?: { allocatable?: Record<string, string | number>; capacity?: Record<string, string | number>; conditions?: { type?: string; status?: string }[] };
}

/** The objects a snapshot is built from, as listed from the API (any may be empty). */
export interface KubeObjects {
  pods: PodObject[];
  replicaSets?: ReplicaSetObject[];
  deployments?: DeploymentObject[];
  statefulSets?: StatefulSetObject[];
  daemonSets?: DaemonSetObject[];
  jobs?: JobObject[];
  cronJobs?: CronJobObject[];
  nodes?: NodeObject[];
}

export interface WorkloadRef { kind: SnapshotWorkloadKind; name: string }

/** The controlling owner of an object (the one with controller: true, else the first). */
export const controllerOf = (o: { metadata?: { ownerReferences?: OwnerRef[] } } | null | undefined): OwnerRef | undefined =>
  o?.metadata?.ownerReferences?.find((r) => r.controller) ?? o?.metadata?.ownerReferences?.[0];

/** The owner one step up from a pod, and whether it needs its own owner read to find the workload (a ReplicaSet or a Job). */
export function directOwner(pod: PodObject): { ref: WorkloadRef; intermediate: boolean } {
  const owner = controllerOf(pod);
  const self: WorkloadRef = { kind: "Pod", name: pod.metadata?.name ?? "unknown" };
  if (!owner?.kind || !owner.name) return { ref: self, intermediate: false };
  if (owner.kind === "StatefulSet" || owner.kind === "DaemonSet") return { ref: { kind: owner.kind, name: owner.name }, intermediate: false };
  // a pod of an operator's own resource (or anything else) stands for itself
  if (owner.kind !== "ReplicaSet" && owner.kind !== "Job") return { ref: self, intermediate: false };
  return { ref: { kind: owner.kind, name: owner.name }, intermediate: true };
}

/** The workload an intermediate owner (ReplicaSet, Job) belongs to, given that owner's object (null: unreadable or gone). */
export function workloadAbove(intermediate: WorkloadRef, owner: { metadata?: { ownerReferences?: OwnerRef[] } } | null | undefined): WorkloadRef {
  const parent = controllerOf(owner);
  if (intermediate.kind === "ReplicaSet" && parent?.kind === "Deployment" && parent.name) return { kind: "Deployment", name: parent.name };
  if (intermediate.kind === "Job" && parent?.kind === "CronJob" && parent.name) return { kind: "CronJob", name: parent.name };
  return intermediate;
}

const key = (namespace: string, kind: string, name: string) => `${namespace}/${kind}/${name}`;
const iso = (t: Time | undefined) => (t === undefined ? null : typeof t === "string" ? t : t.toISOString());

function envOf(env: EnvVarLike[] | undefined): Record<string, string> | null {
  if (!env?.length) return null;
  const out: Record<string, string> = {};
  for (const e of env) {
    if (!ENV_NAME.test(e.name)) continue;
    if (e.valueFrom) out[e.name] = ENV_FROM_REFERENCE;
    else out[e.name] = e.value && (CREDENTIAL_NAME.test(e.name) || CREDENTIAL_VALUE.test(e.value)) ? ENV_REDACTED : (e.value ?? "");
  }
  return out;
}

/** Every container of a pod spec (main, init, native sidecar) with what the engine reads: image, command, env, memory, memory-backed volumes. */
export function containersOfSpec(spec: PodSpecLike | undefined): SnapshotContainer[] {
  if (!spec) return [];
  const memoryVolumes = new Map<string, number | null>();
  for (const v of spec.volumes ?? []) if (v.emptyDir?.medium === "Memory") memoryVolumes.set(v.name, parseQuantityBytes(v.emptyDir.sizeLimit));
  const one = (c: ContainerLike, kind: ContainerKind): SnapshotContainer => ({
    name: c.name,
    kind,
    image: c.image ?? null,
    command: c.command?.length ? [...c.command] : null,
    args: c.args?.length ? [...c.args] : null,
    env: envOf(c.env),
    requestBytes: parseQuantityBytes(c.resources?.requests?.memory),
    limitBytes: parseQuantityBytes(c.resources?.limits?.memory),
    memoryVolumes: (c.volumeMounts ?? []).filter((m) => memoryVolumes.has(m.name)).map((m) => ({ name: m.name, sizeLimitBytes: memoryVolumes.get(m.name)!, mountPath: m.mountPath })),
  });
  return [
    // native sidecars are init containers with restartPolicy Always: they run beside the main ones
    ...(spec.initContainers ?? []).map((c) => one(c, c.restartPolicy === "Always" ? "sidecar" : "init")),
    ...(spec.containers ?? []).map((c) => one(c, "main")),
  ];
}

/** A node's memory and pressure as the snapshot records them. */
export function nodeOf(n: NodeObject): SnapshotNode | null {
  const name = n.metadata?.name;
  if (!name) return null;
  const labels = n.metadata?.labels ?? {};
  return {
    name,
    allocatableMemoryBytes: parseQuantityBytes(n.status?.allocatable?.memory),
    capacityMemoryBytes: parseQuantityBytes(n.status?.capacity?.memory),
    memoryPressure: (n.status?.conditions ?? []).some((c) => c.type === "MemoryPressure" && c.status === "True"),
    instanceType: labels["node.kubernetes.io/instance-type"] ?? labels["beta.kubernetes.io/instance-type"] ?? null,
  };
}

/** A pod as the snapshot records it, under the workload it was resolved to. */
export function podOf(p: PodObject, workload: WorkloadRef): SnapshotPod | null {
  const { uid, name, namespace } = p.metadata ?? {};
  if (!uid || !name || !namespace) return null;
  return {
    uid, namespace, name, workloadKind: workload.kind, workloadName: workload.name,
    node: p.spec?.nodeName ?? null, phase: p.status?.phase ?? "Pending", startedAt: iso(p.status?.startTime),
  };
}

/**
 * The inventory in `objects`: every Deployment, StatefulSet, DaemonSet and CronJob, the Jobs and
 * ReplicaSets no CronJob or Deployment owns, bare pods as themselves; containers from each workload's
 * pod template (from a pod of it when its template was not listed); each pod resolved Pod → ReplicaSet
 * → Deployment, Pod → Job → CronJob; nodes.
 */
export function buildSnapshot(objects: KubeObjects, opts: { complete: boolean; namespaces?: string[] | null }): InventorySnapshot {
  const workloads = new Map<string, SnapshotWorkload>();
  const add = (kind: SnapshotWorkloadKind, o: { metadata?: Meta }, replicas: number, spec: PodSpecLike | undefined) => {
    const { name, namespace } = o.metadata ?? {};
    if (!name || !namespace) return;
    workloads.set(key(namespace, kind, name), { kind, namespace, name, replicas: Math.max(0, replicas), containers: containersOfSpec(spec), labels: workloadLabelsOf(o.metadata?.labels) });
  };
  for (const d of objects.deployments ?? []) add("Deployment", d, d.spec?.replicas ?? 1, d.spec?.template?.spec);
  for (const s of objects.statefulSets ?? []) add("StatefulSet", s, s.spec?.replicas ?? 1, s.spec?.template?.spec);
  for (const d of objects.daemonSets ?? []) add("DaemonSet", d, d.status?.desiredNumberScheduled ?? 0, d.spec?.template?.spec);
  for (const c of objects.cronJobs ?? []) add("CronJob", c, c.spec?.jobTemplate?.spec?.parallelism ?? 1, c.spec?.jobTemplate?.spec?.template?.spec);

  const replicaSets = new Map<string, ReplicaSetObject>();
  for (const r of objects.replicaSets ?? []) if (r.metadata?.name && r.metadata.namespace) replicaSets.set(key(r.metadata.namespace, "ReplicaSet", r.metadata.name), r);
  const jobs = new Map<string, JobObject>();
  for (const j of objects.jobs ?? []) if (j.metadata?.name && j.metadata.namespace) jobs.set(key(j.metadata.namespace, "Job", j.metadata.name), j);
  // a ReplicaSet or Job with no Deployment or CronJob above it is the workload itself
  for (const r of replicaSets.values()) if (workloadAbove({ kind: "ReplicaSet", name: r.metadata!.name! }, r).kind === "ReplicaSet") add("ReplicaSet", r, r.spec?.replicas ?? 1, r.spec?.template?.spec);
  for (const j of jobs.values()) if (workloadAbove({ kind: "Job", name: j.metadata!.name! }, j).kind === "Job") add("Job", j, j.spec?.parallelism ?? 1, j.spec?.template?.spec);

  const pods: SnapshotPod[] = [];
  for (const p of objects.pods) {
    const ns = p.metadata?.namespace;
    if (!ns) continue;
    const direct = directOwner(p);
    const owner = direct.intermediate ? (direct.ref.kind === "ReplicaSet" ? replicaSets : jobs).get(key(ns, direct.ref.kind, direct.ref.name)) : undefined;
    const ref = direct.intermediate ? workloadAbove(direct.ref, owner) : direct.ref;
    const entry = podOf(p, ref);
    if (!entry) continue;
    pods.push(entry);
    // a workload whose own object was not listed (a bare pod, an owner read after the pod) takes its containers from the pod
    if (!workloads.has(key(ns, ref.kind, ref.name))) {
      workloads.set(key(ns, ref.kind, ref.name), {
        kind: ref.kind, namespace: ns, name: ref.name, replicas: 1, containers: containersOfSpec(p.spec),
        // a bare pod is its own workload object; an owner not read says nothing of its labels
        ...(ref.kind === "Pod" ? { labels: workloadLabelsOf(p.metadata?.labels) } : {}),
      });
    } else {
      // containers a webhook injected (a service mesh's proxy) are in the pod, not in the template
      const w = workloads.get(key(ns, ref.kind, ref.name))!;
      const names = [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].map((c) => c.name);
      if (names.some((n) => !w.containers.some((c) => c.name === n))) {
        for (const c of containersOfSpec(p.spec)) if (!w.containers.some((x) => x.name === c.name)) w.containers.push(c);
      }
    }
  }
  const nodes = (objects.nodes ?? []).map(nodeOf).filter((n): n is SnapshotNode => n !== null);
  return { complete: opts.complete, namespaces: opts.namespaces?.length ? [...opts.namespaces] : null, workloads: [...workloads.values()], pods, nodes, removedPods: [] };
}
