// headroom-collector: watches pods, nodes and node events; pushes terminations, SystemOOMs and the inventory to POST /api/v1/ingest.
import * as k8s from "@kubernetes/client-node";
import { chunkSnapshot, SNAPSHOT_LIMITS, type NodeObject, type PodObject } from "@/lib/kube/snapshot";
import { systemOomOfEvent, terminationsOfPod, type EventLike, type PodLike } from "@/lib/kube/terminations";
import type { IngestTermination } from "@/lib/schemas/ingest";
import { ConfigError, loadConfig, USAGE } from "./config";
import { InventoryTracker, type WorkloadLists } from "./inventory";
import { OwnerResolver } from "./owners";
import { FatalPushError, Pusher } from "./pusher";

const VERSION = "0.2.0";

function fail(message: string, code: number): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

if (process.argv.includes("--help")) {
  console.log(USAGE);
  process.exit(0);
}
let config;
try {
  config = loadConfig(process.argv.slice(2), process.env);
} catch (e) {
  if (e instanceof ConfigError) fail(`${e.message}\n\n${USAGE}`, 2);
  throw e;
}

const kc = new k8s.KubeConfig();
if (config.kubeconfig) kc.loadFromFile(config.kubeconfig);
else kc.loadFromCluster();
const core = kc.makeApiClient(k8s.CoreV1Api);
const apps = kc.makeApiClient(k8s.AppsV1Api);
const batch = kc.makeApiClient(k8s.BatchV1Api);
const owners = new OwnerResolver({
  replicaSet: (namespace, name) => apps.readNamespacedReplicaSet({ namespace, name }),
  job: (namespace, name) => batch.readNamespacedJob({ namespace, name }),
});
const pusher = new Pusher({ url: config.url, token: config.token, maxBatch: config.maxBatch, maxBuffer: config.maxBuffer, version: VERSION });
const namespaces = config.namespaces.length ? config.namespaces : null;
const log = (m: string) => console.error(`[collector] ${m}`);

// a termination is pushed once per process (the app deduplicates across restarts and replicas anyway)
const seen = new Set<string>();
function remember(k: string) {
  if (seen.has(k)) return false;
  if (seen.size > 200_000) seen.clear();
  seen.add(k);
  return true;
}
async function onPod(pod: k8s.V1Pod) {
  const found = terminationsOfPod(pod as PodLike).filter((t) => remember(`${t.podUid}|${t.container}|${t.finishedAt}`));
  if (!found.length) return;
  const workload = await owners.workloadOf(pod);
  pusher.add(found.map((t): IngestTermination => ({
    podUid: t.podUid, pod: t.pod, namespace: t.namespace, workloadKind: workload.kind, workloadName: workload.name, container: t.container, containerKind: t.containerKind,
    reason: t.reason, exitCode: t.exitCode, finishedAt: t.finishedAt, restartCount: t.restartCount, node: t.node, message: t.message,
  })));
}

// a node's SystemOOM: the Event's uid stands for the pod uid and the node for the pod, so each occurrence is stored once
function onEvent(event: k8s.CoreV1Event) {
  const s = systemOomOfEvent(event as EventLike);
  if (!s || !remember(`event:${s.eventUid}|${s.at}`)) return;
  pusher.add([{
    podUid: `event:${s.eventUid}`, pod: s.node, namespace: event.metadata?.namespace ?? "default", workloadKind: null, workloadName: null, container: "", containerKind: "main",
    reason: "SystemOOM", exitCode: null, finishedAt: s.at, restartCount: s.count, node: s.node, message: s.message,
  }]);
}

/** An informer (list, then watch from its resourceVersion; 410 relists) started again with backoff when it stops on an error. */
function run<T extends k8s.KubernetesObject>(what: string, informer: k8s.Informer<T>) {
  let backoff = 1000;
  informer.on("connect", () => (backoff = 1000));
  informer.on("error", (err: unknown) => {
    log(`watch of ${what} failed (${(err as Error)?.message ?? err}); retrying in ${backoff / 1000} s`);
    setTimeout(() => void informer.start().catch(() => {}), backoff);
    backoff = Math.min(60_000, backoff * 2);
  });
  return informer.start();
}

// every relist of pods (start, 410 Gone, a restarted watch) is followed by a complete snapshot
let relistSoon: NodeJS.Timeout | null = null;
const afterRelist = <L>(list: Promise<L>) =>
  list.then((l) => {
    if (started) relistSoon ??= setTimeout(() => ((relistSoon = null), void sendComplete()), 1000);
    return l;
  });

const podInformers = namespaces
  ? namespaces.map((namespace) => k8s.makeInformer(kc, `/api/v1/namespaces/${namespace}/pods`, () => afterRelist(core.listNamespacedPod({ namespace }))))
  : [k8s.makeInformer(kc, "/api/v1/pods", () => afterRelist(core.listPodForAllNamespaces()))];
const nodeInformer = k8s.makeInformer(kc, "/api/v1/nodes", () => core.listNode());
const SYSTEM_OOM = "involvedObject.kind=Node,reason=SystemOOM";
const eventWatch = new k8s.ListWatch<k8s.CoreV1Event>("/api/v1/events", new k8s.Watch(kc), () => core.listEventForAllNamespaces({ fieldSelector: SYSTEM_OOM }), false, undefined, SYSTEM_OOM);

async function listWorkloads(): Promise<WorkloadLists> {
  // each kind on its own: one the agent may not list (RBAC) leaves the others
  const each = async <T>(kind: string, all: () => Promise<{ items: T[] }>, inNs: (namespace: string) => Promise<{ items: T[] }>): Promise<T[]> => {
    try {
      return namespaces ? (await Promise.all(namespaces.map(inNs))).flatMap((l) => l.items) : (await all()).items;
    } catch (e) {
      log(`could not list ${kind} (${(e as Error).message}); the inventory goes without them`);
      return [];
    }
  };
  const [deployments, statefulSets, daemonSets, replicaSets, jobs, cronJobs] = await Promise.all([
    each("deployments", () => apps.listDeploymentForAllNamespaces(), (namespace) => apps.listNamespacedDeployment({ namespace })),
    each("statefulsets", () => apps.listStatefulSetForAllNamespaces(), (namespace) => apps.listNamespacedStatefulSet({ namespace })),
    each("daemonsets", () => apps.listDaemonSetForAllNamespaces(), (namespace) => apps.listNamespacedDaemonSet({ namespace })),
    each("replicasets", () => apps.listReplicaSetForAllNamespaces(), (namespace) => apps.listNamespacedReplicaSet({ namespace })),
    each("jobs", () => batch.listJobForAllNamespaces(), (namespace) => batch.listNamespacedJob({ namespace })),
    each("cronjobs", () => batch.listCronJobForAllNamespaces(), (namespace) => batch.listNamespacedCronJob({ namespace })),
  ]);
  return { deployments, statefulSets, daemonSets, replicaSets, jobs, cronJobs };
}

const tracker = new InventoryTracker({
  listWorkloads,
  pods: () => podInformers.flatMap((i) => i.list() as PodObject[]),
  nodes: () => nodeInformer.list() as NodeObject[],
  owners,
  namespaces,
});
let started = false;
let lastComplete = 0;
async function sendComplete() {
  lastComplete = Date.now();
  const s = await tracker.complete();
  // a cluster bigger than one batch takes is sent in parts; the app removes what is gone once all have arrived
  const parts = chunkSnapshot(s, SNAPSHOT_LIMITS, crypto.randomUUID());
  for (const part of parts) pusher.addSnapshot(part);
  log(`inventory: ${s.workloads.length} workloads, ${s.pods.length} pods, ${s.nodes.length} nodes${parts.length > 1 ? ` in ${parts.length} parts` : ""}`);
}

for (const informer of podInformers) {
  const handle = (pod: k8s.V1Pod) => {
    tracker.podChanged(pod);
    void onPod(pod).catch((e: Error) => log(e.message));
  };
  informer.on("add", handle);
  informer.on("update", handle);
  informer.on("delete", (pod) => tracker.podDeleted(pod));
}
nodeInformer.on("add", (n) => tracker.nodeChanged(n));
nodeInformer.on("update", (n) => tracker.nodeChanged(n));
eventWatch.on("add", onEvent);
eventWatch.on("update", onEvent);

await Promise.allSettled([...podInformers.map((i, n) => run(namespaces ? `pods in ${namespaces[n]}` : "pods", i)), run("nodes", nodeInformer), run("SystemOOM events", eventWatch)]);
started = true;
await sendComplete().catch((e: Error) => log(`inventory: ${e.message}`));
console.log(`[collector] ${VERSION} watching ${namespaces ? namespaces.join(", ") : "all namespaces"}, pushing to ${config.url}`);

const timer = setInterval(() => {
  pusher.flush().catch((e: Error) => {
    if (e instanceof FatalPushError) fail(e.message, 1);
    log(e.message);
  });
}, config.flushIntervalMs);
const inventoryTimer = setInterval(() => {
  // a rollout (a ReplicaSet not listed yet) or a lost snapshot calls for a complete one, at most every few intervals
  const due = Date.now() - lastComplete >= config.relistIntervalMs || ((tracker.wantsComplete || pusher.needsCompleteSnapshot) && Date.now() - lastComplete >= 4 * config.inventoryIntervalMs);
  const work = due ? sendComplete() : tracker.changes().then((s) => void (s && pusher.addSnapshot(s)));
  work.catch((e: Error) => log(`inventory: ${e.message}`));
}, config.inventoryIntervalMs);
const stop = () => {
  clearInterval(timer);
  clearInterval(inventoryTimer);
  void pusher.flush().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
