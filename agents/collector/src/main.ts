// headroom-collector: watches pods, turns container terminations into batches for POST /api/v1/ingest.
import * as k8s from "@kubernetes/client-node";
import { terminationsOfPod, type PodLike } from "@/lib/kube/terminations";
import type { IngestTermination } from "@/lib/schemas/ingest";
import { ConfigError, loadConfig, USAGE } from "./config";
import { OwnerResolver } from "./owners";
import { FatalPushError, Pusher } from "./pusher";

const VERSION = "0.1.0";

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

// a termination is pushed once per process (the app deduplicates across restarts and replicas anyway)
const seen = new Set<string>();
async function onPod(pod: k8s.V1Pod) {
  const found = terminationsOfPod(pod as PodLike).filter((t) => !seen.has(`${t.podUid}|${t.container}|${t.finishedAt}`));
  if (!found.length) return;
  const workload = await owners.workloadOf(pod);
  const items: IngestTermination[] = found.map((t) => {
    seen.add(`${t.podUid}|${t.container}|${t.finishedAt}`);
    return { podUid: t.podUid, pod: t.pod, namespace: t.namespace, workloadKind: workload.kind, workloadName: workload.name, container: t.container, containerKind: t.containerKind, reason: t.reason, exitCode: t.exitCode, finishedAt: t.finishedAt, restartCount: t.restartCount, node: t.node, message: t.message };
  });
  if (seen.size > 200_000) seen.clear();
  pusher.add(items);
}

function watchPods(path: string, list: () => Promise<k8s.V1PodList>) {
  const informer = k8s.makeInformer(kc, path, list);
  const handle = (pod: k8s.V1Pod) => void onPod(pod).catch((e: Error) => console.error(`[collector] ${e.message}`));
  informer.on("add", handle);
  informer.on("update", handle);
  let backoff = 1000;
  informer.on("connect", () => (backoff = 1000));
  // the informer stops on an error that is not a 410 (which it handles by relisting): start it again, backing off
  informer.on("error", (err: unknown) => {
    console.error(`[collector] watch of ${path} failed (${(err as Error)?.message ?? err}); retrying in ${backoff / 1000} s`);
    setTimeout(() => void informer.start().catch(() => {}), backoff);
    backoff = Math.min(60_000, backoff * 2);
  });
  return informer.start();
}

const watches = config.namespaces.length
  ? config.namespaces.map((namespace) => watchPods(`/api/v1/namespaces/${namespace}/pods`, () => core.listNamespacedPod({ namespace })))
  : [watchPods("/api/v1/pods", () => core.listPodForAllNamespaces())];
await Promise.allSettled(watches);
console.log(`[collector] ${VERSION} watching ${config.namespaces.length ? config.namespaces.join(", ") : "all namespaces"}, pushing to ${config.url}`);

const timer = setInterval(() => {
  pusher.flush().catch((e: Error) => {
    if (e instanceof FatalPushError) fail(e.message, 1);
    console.error(`[collector] ${e.message}`);
  });
}, config.flushIntervalMs);
const stop = () => {
  clearInterval(timer);
  void pusher.flush().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
