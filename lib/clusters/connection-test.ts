import { PrometheusError } from "@/lib/metrics/prometheus-client";
import { PrometheusSource, type PrometheusSourceOptions } from "@/lib/metrics/prometheus-source";
import * as q from "@/lib/metrics/promql";

export interface ConnectionCheck {
  id: string;
  label: string;
  /** how many series of it Prometheus holds */
  count: number;
  required: boolean;
  /** what to install or change when it is missing */
  help: string;
}

export interface ConnectionReport {
  ok: boolean;
  url: string;
  version: string | null;
  /** distinct containers with a working set */
  containers: number;
  checks: ConnectionCheck[];
  error: string | null;
}

const HELP = {
  cadvisor: "Prometheus must scrape the kubelets' cAdvisor endpoint (/metrics/cadvisor); kube-prometheus-stack does it by default.",
  ksm: "Install kube-state-metrics (helm install kube-state-metrics prometheus-community/kube-state-metrics) and let Prometheus scrape it.",
  timestamp: "kube-state-metrics 2.x exposes when a container last terminated; without it OOMKill times are unknown. Upgrade kube-state-metrics.",
};

/**
 * "Test connection": reaches the endpoint through the outbound guard and reports which of the
 * metrics Headroom needs are there, how many containers it can see, and what to install otherwise.
 */
export async function testConnection(opts: PrometheusSourceOptions, now = Math.floor(Date.now() / 1000)): Promise<ConnectionReport> {
  let source: PrometheusSource;
  try {
    source = new PrometheusSource({ ...opts, timeoutMs: opts.timeoutMs ?? 10_000, retries: 0 });
  } catch (e) {
    return { ok: false, url: opts.url, version: null, containers: 0, checks: [], error: (e as Error).message };
  }
  const p = q.presence(source.labels);
  const defs: [keyof typeof p, string, boolean, string][] = [
    ["cadvisorWorkingSet", "cAdvisor working set (container_memory_working_set_bytes)", true, HELP.cadvisor],
    ["cadvisorRss", "cAdvisor RSS (container_memory_rss)", false, HELP.cadvisor],
    ["ksmContainerInfo", "kube-state-metrics containers (kube_pod_container_info)", true, HELP.ksm],
    ["ksmPodOwner", "kube-state-metrics owners (kube_pod_owner)", true, HELP.ksm],
    ["ksmLimits", "kube-state-metrics memory limits (kube_pod_container_resource_limits)", true, HELP.ksm],
    ["ksmLastTerminatedReason", "termination reasons (kube_pod_container_status_last_terminated_reason)", true, HELP.ksm],
    ["ksmLastTerminatedTimestamp", "termination times (kube_pod_container_status_last_terminated_timestamp)", false, HELP.timestamp],
  ];
  try {
    const info = await source.client.buildInfo();
    const counts = await Promise.all(defs.map(([id]) => source.client.query(p[id], now).then((r) => r[0]?.v ?? 0)));
    const containers = await source.client
      .query(`count(count by (namespace, pod, container) (last_over_time(${q.MEMORY_METRICS.working_set}${q.selector(source.labels, q.REAL_CONTAINER)}[1h])))`, now)
      .then((r) => r[0]?.v ?? 0);
    const checks = defs.map(([id, label, required, help], i) => ({ id, label, count: counts[i]!, required, help }));
    const missing = checks.filter((c) => c.required && c.count === 0);
    const labelHint = source.labels.clusterLabel && checks.every((c) => c.count === 0) ? ` Nothing carries ${source.labels.clusterLabel}="${source.labels.clusterValue}": check the cluster label and its value.` : "";
    return {
      ok: missing.length === 0,
      url: source.client.url,
      version: info?.version ?? null,
      containers,
      checks,
      error: missing.length ? `Missing: ${missing.map((m) => m.label.split(" (")[0]).join(", ")}.${labelHint}` : null,
    };
  } catch (e) {
    return { ok: false, url: source.client.url, version: null, containers: 0, checks: [], error: e instanceof PrometheusError ? e.message : `unexpected error: ${(e as Error).message}` };
  }
}
