import { STATUS_CODES } from "node:http";
import { PrometheusError } from "@/lib/metrics/prometheus-client";
import { PrometheusSource, type PrometheusSourceOptions } from "@/lib/metrics/prometheus-source";
import * as q from "@/lib/metrics/promql";
import { remoteLine } from "@/lib/security/outbound";

export interface ConnectionCheck {
  id: string;
  label: string;
  /** how many series of it Prometheus holds */
  count: number;
  required: boolean;
  /** what to install or change when it is missing */
  help: string;
  /** shown instead of the series count (label checks) */
  detail?: string;
}

export interface ConnectionReport {
  ok: boolean;
  url: string;
  version: string | null;
  /** distinct containers with a working set */
  containers: number;
  checks: ConnectionCheck[];
  /** how the endpoint computes percentiles (null when it could not be asked) */
  queryMode: q.QueryMode | null;
  /** what that mode means, in a sentence for the page */
  queryModeDetail: string | null;
  /** label names that would match what the series carry, when the configured ones do not */
  suggestedLabelNames: { cadvisor?: Partial<q.LabelNames>; ksm?: Partial<q.LabelNames> } | null;
  error: string | null;
}

const MODE_DETAIL: Record<q.QueryMode, string> = {
  fast: "p50, p95 and p99 in one pass over the samples, as Prometheus, Thanos and Mimir evaluate it.",
  portable: "this server does not evaluate the one-pass percentile query as Prometheus does (VictoriaMetrics answers p50 for all three), so each percentile is its own quantile_over_time: the same figures, one more pass over the samples.",
};

const HELP = {
  cadvisor: "Prometheus must scrape the kubelets' cAdvisor endpoint (/metrics/cadvisor); kube-prometheus-stack does it by default.",
  ksm: "Install kube-state-metrics (helm install kube-state-metrics prometheus-community/kube-state-metrics) and let Prometheus scrape it.",
  timestamp: "kube-state-metrics 2.11+ exposes when a container last terminated; without it Headroom dates each OOMKill from the restart count, to within a scrape interval and a few minutes. Upgrade kube-state-metrics for exact times.",
  restarts: "kube-state-metrics exposes restart counts (kube_pod_container_status_restarts_total); Headroom needs them when termination times are missing.",
};

/**
 * "Test connection": reaches the endpoint through the outbound guard and reports which of the
 * metrics Headroom needs are there, how many containers it can see, which query mode the endpoint
 * runs in (fast or portable percentiles), and what to install otherwise.
 */
export async function testConnection(opts: PrometheusSourceOptions, now = Math.floor(Date.now() / 1000)): Promise<ConnectionReport> {
  let source: PrometheusSource;
  try {
    source = new PrometheusSource({ ...opts, timeoutMs: opts.timeoutMs ?? 10_000, retries: 0 });
  } catch (e) {
    return { ok: false, url: opts.url, version: null, containers: 0, checks: [], queryMode: null, queryModeDetail: null, suggestedLabelNames: null, error: reportError(e) };
  }
  const p = q.presence(source.labels);
  const defs: [keyof typeof p, string, boolean, string][] = [
    ["cadvisorWorkingSet", "cAdvisor working set (container_memory_working_set_bytes)", true, HELP.cadvisor],
    ["cadvisorRss", "cAdvisor RSS (container_memory_rss)", false, HELP.cadvisor],
    ["cadvisorCache", "cAdvisor page cache (container_memory_cache)", false, HELP.cadvisor],
    ["ksmContainerInfo", "kube-state-metrics containers (kube_pod_container_info)", true, HELP.ksm],
    ["ksmPodOwner", "kube-state-metrics owners (kube_pod_owner)", true, HELP.ksm],
    ["ksmLimits", "kube-state-metrics memory limits (kube_pod_container_resource_limits)", true, HELP.ksm],
    ["ksmRequests", "kube-state-metrics memory requests (kube_pod_container_resource_requests)", false, HELP.ksm],
    ["ksmLastTerminatedReason", "termination reasons (kube_pod_container_status_last_terminated_reason)", true, HELP.ksm],
    ["ksmLastTerminatedTimestamp", "termination times (kube_pod_container_status_last_terminated_timestamp)", false, HELP.timestamp],
    ["ksmRestarts", "restart counts (kube_pod_container_status_restarts_total)", false, HELP.restarts],
  ];
  try {
    const info = await source.client.buildInfo();
    // probed again (the server behind the URL may have changed): the sync and the pages use the answer
    const [mode, counts] = await Promise.all([source.queryMode({ refresh: true }), Promise.all(defs.map(([id]) => source.client.query(p[id], now).then((r) => r[0]?.v ?? 0)))]);
    const containers = await source.client
      .query(`count(count by (namespace, pod, container) (${q.canonical(source.labels.cadvisor, `last_over_time(${q.memorySelector("working_set", source.labels, null)}[1h])`)}))`, now)
      .then((r) => r[0]?.v ?? 0);
    const checks: ConnectionCheck[] = defs.map(([id, label, required, help], i) => ({ id, label, count: counts[i]!, required, help }));
    const suggested: NonNullable<ConnectionReport["suggestedLabelNames"]> = {};
    for (const family of ["cadvisor", "ksm"] as const) {
      const found = await labelNamesCheck(source, family, now);
      if (!found) continue;
      checks.push(found.check);
      if (found.suggestion) suggested[family] = found.suggestion;
    }
    const missing = checks.filter((c) => c.required && c.count === 0);
    const renamed = missing.filter((c) => c.detail !== undefined);
    const absent = missing.filter((c) => c.detail === undefined);
    const labelHint = source.labels.clusterLabel && checks.every((c) => c.count === 0) ? ` Nothing carries ${source.labels.clusterLabel}="${source.labels.clusterValue}": check the cluster label and its value.` : "";
    return {
      ok: missing.length === 0,
      url: source.client.url,
      // what the server calls its version is shown: one short line of it
      version: typeof info?.version === "string" ? remoteLine(info.version, 64) || null : null,
      containers,
      checks,
      queryMode: mode,
      queryModeDetail: MODE_DETAIL[mode],
      suggestedLabelNames: Object.keys(suggested).length ? suggested : null,
      error: missing.length ? [absent.length ? `Missing: ${absent.map((m) => m.label.split(" (")[0]).join(", ")}.${labelHint}` : "", ...renamed.map((m) => `${m.label.split(" (")[0]}: ${m.help}`)].filter(Boolean).join(" ") : null,
    };
  } catch (e) {
    return { ok: false, url: source.client.url, version: null, containers: 0, checks: [], queryMode: null, queryModeDetail: null, suggestedLabelNames: null, error: reportError(e) };
  }
}

/** Prometheus API error types (errorType): an answer that carries one is Prometheus speaking, not a page. */
const PROMETHEUS_ERROR = /^(timeout|canceled|execution|bad_data|internal|unavailable|not_found|not_acceptable): /;
const HINTS = ["(check the credentials)", "(is the URL the Prometheus API base, e.g. without /graph?)"];

/**
 * What the report says of a failure, in one short line. Of a server's error answer only the status
 * and its standard reason (and a Prometheus API error, cut to a line): never the body of whatever
 * answered (an HTML error page, a login form, another service on the address), which the client's
 * message may quote.
 */
export function reportError(e: unknown): string {
  if (!(e instanceof PrometheusError)) return `unexpected error: ${remoteLine(e instanceof Error ? e.message : String(e))}`;
  const rest = e.message.startsWith(`${e.endpoint}: `) ? e.message.slice(e.endpoint.length + 2) : e.message;
  const head = `HTTP ${e.status}`;
  if (e.status !== undefined && (rest === head || rest.startsWith(`${head} `))) {
    let detail = rest.slice(head.length).trim();
    const hint = HINTS.find((h) => detail.endsWith(h));
    if (hint) detail = detail.slice(0, -hint.length).trim();
    const said = PROMETHEUS_ERROR.test(detail) ? detail : (STATUS_CODES[e.status] ?? "").toLowerCase();
    return `${e.endpoint}: ${remoteLine(`${head} ${said}`)}${hint ? ` ${hint}` : ""}`;
  }
  // a Prometheus error answer (errorType: error) is cut to a short line; the guard's and the network's
  // own messages are ours and name a host the user typed: kept whole, on one line
  return `${e.endpoint}: ${remoteLine(rest, e.kind === "query" || e.kind === "http" ? 200 : 1000)}`;
}

/** The label names of a series, as the report shows them: only valid names, at most 30. */
function labelList(metric: Record<string, string>): string {
  const names = Object.keys(metric).filter((l) => l !== "__name__" && q.isLabelName(l)).sort();
  return names.length > 30 ? `${names.slice(0, 30).join(", ")} and ${names.length - 30} more` : names.join(", ");
}

/** Names the namespace, pod and container labels often carry after relabelling. */
const CANDIDATES = (k: keyof q.LabelNames) => [`exported_${k}`, `${k}_name`, `kubernetes_${k}`, `k8s_${k}`, k];

/**
 * Whether one series of the family carries the configured namespace, pod and container labels; when
 * it does not, which of its labels look like them (exported_namespace, pod_name…). Null when the
 * family has no series at all (the presence checks already say so).
 */
async function labelNamesCheck(source: PrometheusSource, family: "cadvisor" | "ksm", now: number): Promise<{ check: ConnectionCheck; suggestion: Partial<q.LabelNames> | null } | null> {
  // a real container's series: cAdvisor's carry an image, kube_pod_container_info's are all containers
  const metric = family === "cadvisor" ? `${q.MEMORY_METRICS.working_set}${q.selector(source.labels, ['image!=""'])}` : `kube_pod_container_info${q.selector(source.labels, [])}`;
  const [one] = await source.client.query(`topk(1, last_over_time(${metric}[1h]))`, now);
  if (!one) return null;
  const names = source.labels[family];
  // scraped without honor_labels, the exporter's own namespace/pod/container take the standard names
  // and the real ones move to exported_*: a standard name next to its exported_ twin is the wrong one
  const missing = (["namespace", "pod", "container"] as const).filter((k) => !one.metric[names[k]] || (names[k] === k && one.metric[`exported_${k}`]));
  const suggestion: Partial<q.LabelNames> = {};
  for (const k of missing) {
    const hit = CANDIDATES(k).find((c) => one.metric[c]);
    if (hit) suggestion[k] = hit;
  }
  const who = family === "cadvisor" ? "cAdvisor" : "kube-state-metrics";
  const configured = (["namespace", "pod", "container"] as const).map((k) => names[k]).join(", ");
  const exported = missing.filter((k) => one.metric[names[k]]);
  const help = missing.length === 0
    ? ""
    : exported.length === missing.length
      ? `the ${exported.join(", ")} label${exported.length > 1 ? "s are" : " is"} the exporter's own (scraped without honor_labels); the series' own are ${exported.map((k) => `exported_${k}`).join(", ")}: set these as the ${who} label names.`
      : `the series have no ${missing.map((k) => names[k]).join(", ")} label${Object.keys(suggestion).length ? `; they carry ${Object.values(suggestion).join(", ")}: set these as the ${who} label names` : `; their labels are ${labelList(one.metric)}: set the ${who} label names`}.`;
  return {
    check: { id: `${family}Labels`, label: `${who} label names (${configured})`, count: missing.length === 0 ? 1 : 0, required: true, help, detail: missing.length === 0 ? "found" : "not on its series" },
    suggestion: missing.length && Object.keys(suggestion).length ? suggestion : null,
  };
}
