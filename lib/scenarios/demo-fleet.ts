import { seedOf, stableUuid } from "./random";
import type { ScenarioKind, ScenarioSpec } from "./types";

const Mi = 1024 * 1024;

export interface FleetContainer {
  name: string;
  image: string;
  scenario: ScenarioKind;
  requestMi: number | null;
  limitMi: number | null;
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
  /** batch_peaks: hours between two runs (6 unless set; a nightly job's is 24) */
  batchPeriodHours?: number;
}

export interface FleetWorkload {
  namespace: string;
  kind: "Deployment" | "StatefulSet" | "DaemonSet" | "CronJob";
  name: string;
  replicas: number;
  containers: FleetContainer[];
  /** the workload object's metadata.labels: the owning team and the system it is part of */
  labels?: Record<string, string>;
}

export interface FleetCluster {
  slug: string;
  name: string;
  provider: string;
  region: string;
  pricePerGibMonth: number;
  workloads: FleetWorkload[];
  /** its cAdvisor exports memory pressure (PSI: Kubernetes 1.33+ on cgroup v2) */
  exportsPsi?: boolean;
}

export interface FleetPod {
  name: string;
  uid: string;
  node: string;
  index: number;
}

type Row = [string, FleetWorkload["kind"], string, number, string, string, ScenarioKind, number | null, number | null, Partial<FleetContainer>?];

// namespace, kind, name, replicas, container, image, scenario, request Mi, limit Mi, extras
const PROD_EU: Row[] = [
  ["payments", "Deployment", "payments-api", 3, "api", "ghcr.io/acme/payments-api:4.12.0", "fast_leak", 384, 512, { command: ["/app/payments-api"], env: { GOMEMLIMIT: "500MiB" } }],
  ["payments", "Deployment", "ledger-writer", 2, "writer", "ghcr.io/acme/ledger-writer:2.3.1", "healthy", 256, 512],
  ["payments", "StatefulSet", "ledger-db", 3, "postgres", "postgres:16.2", "limit_too_low", 1024, 1024],
  ["checkout", "Deployment", "checkout-web", 4, "web", "ghcr.io/acme/checkout-web:9.0.3", "daily_seasonality", 512, 1024, { command: ["node", "--max-old-space-size=768", "server.js"] }],
  ["checkout", "Deployment", "cart-service", 3, "cart", "ghcr.io/acme/cart-service:1.18.2", "load_spikes", 256, 512],
  ["checkout", "Deployment", "pricing-engine", 2, "engine", "ghcr.io/acme/pricing-engine:3.4.0", "jvm_xmx", 768, 768, { env: { JAVA_OPTS: "-Xms512m -Xmx1g -XX:+UseG1GC" } }],
  ["search", "StatefulSet", "search-indexer", 2, "indexer", "ghcr.io/acme/search-indexer:5.1.0", "slow_leak", 1536, 2048, { command: ["python", "-m", "indexer"] }],
  ["search", "Deployment", "search-api", 3, "api", "ghcr.io/acme/search-api:5.1.0", "healthy", 512, 1024],
  ["data", "CronJob", "nightly-etl", 1, "etl", "ghcr.io/acme/etl-runner:0.9.4", "batch_peaks", 1024, 2048, { command: ["python", "etl.py"], batchPeriodHours: 24 }],
  ["data", "StatefulSet", "redis-cache", 3, "redis", "redis:7.2.4", "over_provisioned", 2048, 4096],
  ["platform", "DaemonSet", "log-shipper", 6, "fluent-bit", "fluent/fluent-bit:3.0.4", "healthy", 64, 128],
  ["platform", "Deployment", "ingress-nginx", 2, "controller", "registry.k8s.io/ingress-nginx/controller:v1.10.1", "daily_seasonality", 256, 512],
  ["platform", "Deployment", "cert-manager", 1, "controller", "quay.io/jetstack/cert-manager-controller:v1.14.4", "over_provisioned", 512, 1024],
  ["notifications", "Deployment", "email-sender", 2, "sender", "ghcr.io/acme/email-sender:1.2.0", "healthy", 128, 256],
  ["notifications", "Deployment", "push-gateway", 2, "gateway", "ghcr.io/acme/push-gateway:0.14.2", "fast_leak", 192, 384, { command: ["node", "dist/index.js"], env: { NODE_OPTIONS: "--max-old-space-size=384 --enable-source-maps" } }],
];

const PROD_US: Row[] = [
  ["payments", "Deployment", "payments-api", 4, "api", "ghcr.io/acme/payments-api:4.12.0", "healthy", 384, 768],
  ["payments", "Deployment", "fraud-scorer", 3, "scorer", "ghcr.io/acme/fraud-scorer:2.0.7", "jvm_xmx", 1024, 1024, { env: { JAVA_TOOL_OPTIONS: "-Xmx1200m" } }],
  ["checkout", "Deployment", "checkout-web", 6, "web", "ghcr.io/acme/checkout-web:9.0.3", "daily_seasonality", 512, 1024],
  ["checkout", "Deployment", "cart-service", 4, "cart", "ghcr.io/acme/cart-service:1.18.2", "limit_too_low", 256, 320],
  ["checkout", "Deployment", "recommendations", 3, "model-server", "ghcr.io/acme/recs-model:7.3.0", "load_spikes", 1024, 1536, { command: ["python", "serve.py"] }],
  ["catalog", "Deployment", "catalog-api", 3, "api", "ghcr.io/acme/catalog-api:11.2.0", "slow_leak", 384, 768, { command: ["/usr/local/bin/catalog-api"] }],
  ["catalog", "StatefulSet", "catalog-db", 3, "postgres", "postgres:16.2", "healthy", 2048, 4096],
  ["catalog", "Deployment", "image-resizer", 2, "resizer", "ghcr.io/acme/image-resizer:1.6.1", "load_spikes", 256, 512],
  ["data", "CronJob", "usage-rollup", 1, "rollup", "ghcr.io/acme/usage-rollup:2.2.0", "batch_peaks", 512, 1024],
  ["data", "StatefulSet", "kafka", 3, "broker", "bitnami/kafka:3.7.0", "over_provisioned", 4096, 8192, { env: { KAFKA_HEAP_OPTS: "-Xmx2g -Xms2g" } }],
  ["data", "Deployment", "stream-processor", 2, "processor", "ghcr.io/acme/stream-processor:0.22.0", "fast_leak", 768, 1024, { env: { JAVA_OPTS: "-Xmx768m" } }],
  ["platform", "DaemonSet", "node-exporter", 9, "node-exporter", "quay.io/prometheus/node-exporter:v1.8.0", "healthy", 32, 64],
  ["platform", "Deployment", "ingress-nginx", 3, "controller", "registry.k8s.io/ingress-nginx/controller:v1.10.1", "daily_seasonality", 256, 512],
  ["identity", "Deployment", "auth-service", 3, "auth", "ghcr.io/acme/auth-service:6.0.1", "healthy", 256, 512],
  ["identity", "Deployment", "session-store", 2, "keydb", "eqalpha/keydb:6.3.4", "limit_too_low", 512, 512],
];

const STAGING: Row[] = [
  ["payments", "Deployment", "payments-api", 1, "api", "ghcr.io/acme/payments-api:4.13.0-rc.2", "fast_leak", 256, 384],
  ["checkout", "Deployment", "checkout-web", 1, "web", "ghcr.io/acme/checkout-web:9.1.0-rc.1", "healthy", 256, 512],
  ["checkout", "Deployment", "cart-service", 1, "cart", "ghcr.io/acme/cart-service:1.19.0-rc.1", "healthy", 128, 256],
  ["catalog", "Deployment", "catalog-api", 1, "api", "ghcr.io/acme/catalog-api:11.3.0-rc.1", "healthy", 256, 512],
  ["search", "Deployment", "search-api", 1, "api", "ghcr.io/acme/search-api:5.2.0-rc.1", "over_provisioned", 1024, 2048],
  ["data", "CronJob", "nightly-etl", 1, "etl", "ghcr.io/acme/etl-runner:0.10.0-rc.1", "batch_peaks", 512, 1024, { batchPeriodHours: 24 }],
  ["data", "Deployment", "feature-store", 1, "store", "ghcr.io/acme/feature-store:0.3.0", "jvm_xmx", 512, 512, { env: { JAVA_OPTS: "-Xmx768m" } }],
  ["qa", "Deployment", "load-generator", 1, "k6", "grafana/k6:0.50.0", "load_spikes", 128, 256],
  ["qa", "Deployment", "mock-bank", 1, "mock", "ghcr.io/acme/mock-bank:0.1.4", "healthy", null, null],
  ["qa", "Deployment", "contract-tests", 1, "runner", "ghcr.io/acme/contract-tests:2.0.0", "healthy", 128, null],
  ["platform", "DaemonSet", "log-shipper", 3, "fluent-bit", "fluent/fluent-bit:3.0.4", "healthy", 64, 128],
  ["platform", "Deployment", "preview-envs", 1, "operator", "ghcr.io/acme/preview-operator:0.8.0", "slow_leak", 128, 256, { command: ["/manager"] }],
  ["notifications", "Deployment", "push-gateway", 1, "gateway", "ghcr.io/acme/push-gateway:0.15.0-rc.1", "daily_seasonality", 128, 256],
];

// each namespace's owning team (the cost page groups by it) and the system its workloads are part of;
// qa's test tools carry no team label, as tools nobody owns often do
const OWNERS: Record<string, { team: string | null; partOf: string }> = {
  payments: { team: "payments", partOf: "payments" },
  checkout: { team: "checkout", partOf: "storefront" },
  catalog: { team: "catalog", partOf: "storefront" },
  search: { team: "search", partOf: "search" },
  data: { team: "data", partOf: "data-platform" },
  platform: { team: "platform", partOf: "platform" },
  identity: { team: "platform", partOf: "identity" },
  notifications: { team: "growth", partOf: "notifications" },
  qa: { team: null, partOf: "qa" },
};

function labelsOf(namespace: string, name: string, image: string): Record<string, string> {
  const owner = OWNERS[namespace] ?? { team: null, partOf: namespace };
  const version = image.slice(image.lastIndexOf(":") + 1);
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/part-of": owner.partOf,
    "app.kubernetes.io/version": version,
    "app.kubernetes.io/managed-by": "Helm",
    ...(owner.team ? { team: owner.team } : {}),
  };
}

function toWorkloads(rows: Row[]): FleetWorkload[] {
  return rows.map(([namespace, kind, name, replicas, cname, image, scenario, requestMi, limitMi, extra]) => ({
    namespace,
    kind,
    name,
    replicas,
    containers: [{ name: cname, image, scenario, requestMi, limitMi, ...extra }],
    labels: labelsOf(namespace, name, image),
  }));
}

/** The demo organization's clusters, workloads and their memory behaviour. */
export const DEMO_FLEET: FleetCluster[] = [
  { slug: "prod-eu", name: "prod-eu", provider: "AWS EKS", region: "eu-west-1", pricePerGibMonth: 3.2, workloads: toWorkloads(PROD_EU), exportsPsi: true },
  { slug: "prod-us", name: "prod-us", provider: "GCP GKE", region: "us-central1", pricePerGibMonth: 2.9, workloads: toWorkloads(PROD_US), exportsPsi: true },
  { slug: "staging", name: "staging", provider: "AWS EKS", region: "eu-west-1", pricePerGibMonth: 3.2, workloads: toWorkloads(STAGING) },
];

/** The alphabet Kubernetes writes generated name suffixes and pod-template hashes in (no vowels, no 0/1/3). */
const K8S_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** `length` characters of Kubernetes' name alphabet, drawn deterministically from `key`. */
export function k8sHash(key: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) {
    // 32 bits of seed give six characters; each further six come from a new seed
    let n = seedOf(`${key}#${i}`);
    for (let j = 0; j < 6 && out.length < length; j++) {
      out += K8S_ALPHABET[n % K8S_ALPHABET.length];
      n = Math.floor(n / K8S_ALPHABET.length);
    }
  }
  return out;
}

/**
 * The pods a demo workload runs, named as Kubernetes names them: a Deployment's
 * `<name>-<pod-template-hash, 9-10 chars>-<5 chars>`, a StatefulSet's `<name>-<ordinal>`, a DaemonSet's
 * `<name>-<5 chars>`, a CronJob's Job pod `<name>-<scheduled minute since the epoch>-<5 chars>`; stable uids.
 */
export function fleetPods(cluster: string, w: FleetWorkload): FleetPod[] {
  const key = `${cluster}/${w.namespace}/${w.name}`;
  const rs = k8sHash(key, 9 + (seedOf(`${key}len`) % 2));
  return Array.from({ length: w.replicas }, (_, i) => {
    const suffix = k8sHash(`${cluster}/${w.name}/${i}`, 5);
    // a Job created by the CronJob at its scheduled minute: 02:00 UTC of a night in November 2025
    const jobMinute = (20_400 + (seedOf(`${key}job`) % 30)) * 1440 + 120;
    const name =
      w.kind === "StatefulSet" ? `${w.name}-${i}` :
      w.kind === "Deployment" ? `${w.name}-${rs}-${suffix}` :
      w.kind === "CronJob" ? `${w.name}-${jobMinute}-${suffix}` :
      `${w.name}-${suffix}`;
    const node = `ip-10-${(seedOf(name) % 200) + 10}-${seedOf(`${name}n`) % 250}-${(seedOf(`${name}m`) % 250) + 1}.${cluster}.internal`;
    return { name, uid: stableUuid(`${cluster}/${w.namespace}/${name}`), node, index: i };
  });
}

/** The scenario driving one container of one demo pod. */
export function fleetSpec(cluster: string, w: FleetWorkload, c: FleetContainer, pod: FleetPod): ScenarioSpec {
  // without a limit the model still needs a scale: node-sized headroom
  const limitMi = c.limitMi ?? Math.max((c.requestMi ?? 256) * 2, 512);
  return {
    kind: c.scenario, seed: seedOf(`${cluster}/${w.namespace}/${w.name}/${c.name}/${pod.index}`), limitBytes: limitMi * Mi,
    ...(c.batchPeriodHours ? { periodHours: c.batchPeriodHours } : {}),
  };
}

export const mebibytes = (mi: number | null) => (mi === null ? null : mi * Mi);
