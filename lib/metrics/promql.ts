/**
 * PromQL for cAdvisor and kube-state-metrics. Aggregation happens in Prometheus: one query per
 * namespace (a regex of pods) returns every container's series, and `*_over_time` at the step
 * folds raw samples before they cross the network.
 */

/** The names of the labels that place a series in a namespace, a pod and a container. */
export interface LabelNames {
  namespace: string;
  pod: string;
  container: string;
}

export const DEFAULT_LABEL_NAMES: Readonly<LabelNames> = Object.freeze({ namespace: "namespace", pod: "pod", container: "container" });

/**
 * Label names of a cluster's Prometheus, configurable per cluster: a central Prometheus holds many
 * clusters under a `cluster` label, and relabelling renames the rest (kube-state-metrics scraped
 * without honor_labels carries `exported_namespace`, `exported_pod`, `exported_container`; cAdvisor
 * before Kubernetes 1.16 says `pod_name` and `container_name`).
 */
export interface PromLabels {
  /** label that names the cluster, e.g. "cluster"; null when the Prometheus holds one cluster */
  clusterLabel: string | null;
  /** that label's value for this cluster */
  clusterValue: string | null;
  /** on cAdvisor's container_memory_* series */
  cadvisor: LabelNames;
  /** on kube-state-metrics' kube_* series */
  ksm: LabelNames;
}

/** Complete label settings from partial ones (defaults: no cluster label, the standard names), validated. */
export function promLabels(p: { clusterLabel?: string | null; clusterValue?: string | null; cadvisor?: Partial<LabelNames> | null; ksm?: Partial<LabelNames> | null } = {}): PromLabels {
  const names = (n: Partial<LabelNames> | null | undefined): LabelNames => {
    const out = { ...DEFAULT_LABEL_NAMES, ...Object.fromEntries(Object.entries(n ?? {}).filter(([, v]) => v)) } as LabelNames;
    for (const v of Object.values(out)) assertLabelName(v);
    return out;
  };
  if (p.clusterLabel) assertLabelName(p.clusterLabel);
  return { clusterLabel: p.clusterLabel ?? null, clusterValue: p.clusterValue ?? null, cadvisor: names(p.cadvisor), ksm: names(p.ksm) };
}

/** Whether the names are the standard ones (then queries need no renaming). */
export const isDefaultNames = (n: LabelNames) => n.namespace === "namespace" && n.pod === "pod" && n.container === "container";

/**
 * The expression's series under the standard names (namespace, pod, container), so joins, `by`
 * clauses and the code reading the answers never depend on the configuration. A no-op when the
 * names are the standard ones.
 */
export function canonical(names: LabelNames, expr: string): string {
  let out = expr;
  for (const k of ["namespace", "pod", "container"] as const) {
    if (names[k] !== k) out = `label_replace(${out}, "${k}", "$1", "${names[k]}", "(.*)")`;
  }
  return out;
}

/** Prometheus refuses range queries of more than 11,000 points per series. */
export const MAX_POINTS = 11_000;

/** The smallest step that keeps a range query under Prometheus's point limit (never below `min`). */
export function stepFor(start: number, end: number, min: number): number {
  const needed = Math.ceil((end - start) / (MAX_POINTS - 1));
  return Math.max(min, needed);
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Whether `name` is a valid Prometheus label name (letters, digits, _; not starting with a digit). */
export const isLabelName = (name: string) => LABEL_NAME.test(name);

export function assertLabelName(name: string): string {
  if (!isLabelName(name)) throw new Error(`"${name}" is not a valid Prometheus label name`);
  return name;
}

/** A string literal for PromQL (double-quoted, escaped). */
export const str = (v: string) => JSON.stringify(v);

/** A regex alternation matching exactly these values (RE2, anchored by Prometheus). */
export const anyOf = (values: string[]) => values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");

/** Matchers joined into a selector body, with the cluster matcher when configured. */
export function selector(labels: PromLabels, matchers: string[]): string {
  const all = [...matchers];
  if (labels.clusterLabel && labels.clusterValue !== null) all.push(`${assertLabelName(labels.clusterLabel)}=${str(labels.clusterValue)}`);
  return `{${all.join(",")}}`;
}

/** Real containers only: cAdvisor also reports the pod's cgroup (container="") and the pause container ("POD"). */
export const realContainer = (names: LabelNames = DEFAULT_LABEL_NAMES) => [`${names.container}!=""`, `${names.container}!="POD"`];

export type MemoryMetric = "working_set" | "rss" | "cache";
export const MEMORY_METRICS: Record<MemoryMetric, string> = {
  working_set: "container_memory_working_set_bytes",
  rss: "container_memory_rss",
  cache: "container_memory_cache",
};

/** Pod-level scope of a query: a namespace and, optionally, pods and a container. */
export interface Scope {
  namespace: string;
  pods?: string[];
  container?: string;
}

export function scopeMatchers(names: LabelNames, s: Scope): string[] {
  const m = [`${names.namespace}=${str(s.namespace)}`];
  if (s.pods) m.push(s.pods.length === 1 ? `${names.pod}=${str(s.pods[0]!)}` : `${names.pod}=~${str(anyOf(s.pods))}`);
  // a renamed pod label must be on the series: where it is not (wrong names), no series rather than
  // pods without a name, which Prometheus would refuse as duplicates once renamed
  else if (names.pod !== "pod") m.push(`${names.pod}!=""`);
  if (s.container) m.push(`${names.container}=${str(s.container)}`);
  return m;
}

/** A cAdvisor memory metric's selector for the scope, real containers only. */
export function memorySelector(metric: MemoryMetric, labels: PromLabels, scope: Scope | null): string {
  return `${MEMORY_METRICS[metric]}${selector(labels, [...(scope ? scopeMatchers(labels.cadvisor, scope) : []), ...realContainer(labels.cadvisor)])}`;
}

/**
 * A memory metric per pod and container at `step`: the maximum of the samples in each step (so a
 * coarse step never hides a peak). The range is one second short of the step, so consecutive steps
 * never count the same sample twice. No `max by` around it: aggregating at every step costs
 * Prometheus more than the query itself, so the rare duplicate series of one container (two
 * scrape jobs) are merged by the caller (see mergeByContainer).
 */
export function memoryRange(metric: MemoryMetric, labels: PromLabels, scope: Scope, step: number): string {
  return canonical(labels.cadvisor, `max_over_time(${memorySelector(metric, labels, scope)}[${Math.max(1, step - 1)}s])`);
}

const BY_CONTAINER = "namespace, pod, container";

// No `max by` in the termination queries: aggregating at every step costs more than the query, and
// their answers are change points the client reads per (namespace, pod, container) anyway.
function lastTerminated(labels: PromLabels, scope: Scope, offset?: number): string {
  return canonical(labels.ksm, `kube_pod_container_status_last_terminated_timestamp${selector(labels, scopeMatchers(labels.ksm, scope))}${offset ? ` offset ${offset}s` : ""}`);
}

/**
 * kube-state-metrics: the time of each container's last termination, only at the steps where it
 * changed (or first appeared). Each value is one termination; a quiet container returns nothing,
 * so the answer stays small whatever the window.
 */
export function lastTerminatedTimestamp(labels: PromLabels, scope: Scope, step: number): string {
  const now = lastTerminated(labels, scope);
  const before = lastTerminated(labels, scope, step);
  return `(${now} != ${before}) or (${now} unless ${before})`;
}

/** 1 for each container's last termination reason (a label), one reason per container. */
function lastReason(labels: PromLabels, scope: Scope): string {
  // topk keeps one reason per container even if two kube-state-metrics replicas report it
  const reason = `topk by (${BY_CONTAINER}) (1, ${canonical(labels.ksm, `kube_pod_container_status_last_terminated_reason${selector(labels, scopeMatchers(labels.ksm, scope))}`)} == 1)`;
  return `(${reason} > bool 0)`;
}

/** Each termination's time (the value) with its reason (a label), at the steps where the termination time changed: one query. */
export function terminationsWithReason(labels: PromLabels, scope: Scope, step: number): string {
  return `(${lastTerminatedTimestamp(labels, scope, step)}) * on (${BY_CONTAINER}) group_left (reason) ${lastReason(labels, scope)}`;
}

/** The exit code of each termination, at the steps where the termination time changed. */
export function lastTerminatedExitCode(labels: PromLabels, scope: Scope, step: number): string {
  return `${canonical(labels.ksm, `kube_pod_container_status_last_terminated_exitcode${selector(labels, scopeMatchers(labels.ksm, scope))}`)} and on (${BY_CONTAINER}) (${lastTerminatedTimestamp(labels, scope, step)})`;
}

/**
 * kube-state-metrics before 2.11 has no last_terminated_timestamp: the number of restarts in each
 * step where a container's restart count rose, one query. Each step dates its restarts to within
 * the step. The count before the step is the last one seen in the quarter of an hour before it, so a
 * missed scrape or two lose nothing; a count seen for the first time (where the data begins, after a
 * longer gap, or a pod that restarted before its first scrape) is not taken for new restarts.
 */
export function restartsInStep(labels: PromLabels, scope: Scope, step: number): string {
  const sel = `kube_pod_container_status_restarts_total${selector(labels, scopeMatchers(labels.ksm, scope))}`;
  return `(${canonical(labels.ksm, sel)} - ${canonical(labels.ksm, `last_over_time(${sel}[15m] offset ${step}s)`)}) > 0`;
}

/** restartsInStep with the last termination's reason (a label): the fallback of terminationsWithReason. */
export function restartsWithReason(labels: PromLabels, scope: Scope, step: number): string {
  return `(${restartsInStep(labels, scope, step)}) * on (${BY_CONTAINER}) group_left (reason) ${lastReason(labels, scope)}`;
}

/** The last exit code at the steps where the restart count rose: the fallback of lastTerminatedExitCode. */
export function restartExitCode(labels: PromLabels, scope: Scope, step: number): string {
  return `${canonical(labels.ksm, `kube_pod_container_status_last_terminated_exitcode${selector(labels, scopeMatchers(labels.ksm, scope))}`)} and on (${BY_CONTAINER}) (${restartsInStep(labels, scope, step)})`;
}

/**
 * Whether the cluster's kube-state-metrics reports termination times (2.11+) and reasons over the
 * last `rangeSeconds` before the evaluation time: two counts, a `stat` label tells them apart.
 */
export function terminationMetrics(labels: PromLabels, rangeSeconds: number): string {
  const c = (metric: string, stat: string) => `label_replace(count(last_over_time(${metric}${selector(labels, [])}[${rangeSeconds}s])), "stat", "${stat}", "", "")`;
  return `${c("kube_pod_container_status_last_terminated_timestamp", "timestamp")} or ${c("kube_pod_container_status_last_terminated_reason", "reason")}`;
}

export type RawStat = "p50" | "p95" | "p99" | "mean" | "perHour";

/**
 * Prometheus's default look-back of an instant selector (--query.lookback-delta, 5 minutes, a sample
 * exactly 5 minutes old included) as a range: ranges leave out their start, hence the extra second.
 */
const LOOKBACK_SECONDS = 301;

/** The percentiles of the working set Headroom reads, in the order the quantile query returns them (one per step). */
export const QUANTILES: readonly (readonly [RawStat, number])[] = [["p50", 0.5], ["p95", 0.95], ["p99", 0.99]];

/**
 * How a server computes the percentiles: "fast", one pass over the samples for p50, p95 and p99
 * (Prometheus, and Thanos and Mimir, which run its engine); "portable", each percentile by its own
 * quantile_over_time, which every Prometheus-compatible server evaluates alike (VictoriaMetrics
 * evaluates the fast query's φ once, so its three steps all answer p50).
 */
export type QueryMode = "fast" | "portable";

/**
 * A subquery's range of `rangeSeconds`, half a second short: its evaluation points sit on whole
 * multiples of the resolution, and when one falls exactly `rangeSeconds` before the end, Prometheus 2
 * counts it (its ranges include both ends) while Prometheus 3 and VictoriaMetrics do not (left-open),
 * so the same history gave two answers (one end in 43 on a 300-second grid with a 2,580-second
 * resolution). Half a second out, no point can sit on the boundary and every server takes the same.
 */
function subqueryRange(rangeSeconds: number): string {
  return `${Math.round(rangeSeconds * 1000) - 500}ms`;
}

/** A range query of three 1-second steps ending at `end` whose φ follows the step (p50, p95, p99), over `inner` pinned with `@ end`. */
function stepQuantiles(inner: string, end: number) {
  const first = end - (QUANTILES.length - 1);
  const phi = QUANTILES.map(([, p], i) => `(time() == bool ${first + i}) * ${p}`).join(" + ");
  return { expr: `quantile_over_time(${phi}, ${inner} @ ${end})`, start: first, end, step: 1 };
}

/**
 * p50, p95 and p99 of each pod's working set over `rangeSeconds` before `end`, in one pass over the
 * samples (fast mode): a range query of three 1-second steps (end-2, end-1, end) whose φ follows the
 * step, over one subquery pinned with `@ end`. Prometheus evaluates a step-invariant subquery once and
 * keeps its samples from step to step, so the three percentiles cost one read where three instant
 * queries cost three. The subquery is a systematic sample of the raw samples (one every
 * `resolutionSeconds`), which differs from the exact figure by far less than the rounding of a
 * recommendation; the maximum comes from the max-per-step trend series, which covers every raw sample.
 */
export function workingSetQuantiles(labels: PromLabels, scope: Scope, rangeSeconds: number, resolutionSeconds: number, end: number) {
  const q = stepQuantiles(`${memorySelector("working_set", labels, scope)}[${subqueryRange(rangeSeconds)}:${resolutionSeconds}s]`, end);
  return { query: `max by (${BY_CONTAINER}) (${canonical(labels.cadvisor, q.expr)})`, start: q.start, end: q.end, step: q.step };
}

/** The seconds the quantile probe's series covers: one sample a second, valued at its own time. */
const PROBE_SECONDS = 100;

/**
 * The fast percentile query's shape over a series that needs no data (`vector(time())`, one sample a
 * second over the 100 s before `end`), so the answer is known: p50, p95 and p99 about 50, 5 and 1 s
 * before `end`. See isFastQuantileAnswer.
 */
export function quantileProbe(end: number) {
  const q = stepQuantiles(`vector(time())[${PROBE_SECONDS}s:1s]`, end);
  return { query: q.expr, start: q.start, end: q.end, step: q.step };
}

/**
 * Whether the probe's answer is the one Prometheus gives: three steps, each percentile within 5 s of
 * its expected value (Prometheus 2 and 3 differ by a sample at the subquery's start, and `time()` in
 * a pinned subquery moves with the step by a second or two), strictly increasing.
 */
export function isFastQuantileAnswer(answer: { t: Float64Array; v: Float64Array }[], end: number): boolean {
  if (answer.length !== 1) return false;
  const { t, v } = answer[0]!;
  if (t.length !== QUANTILES.length) return false;
  const first = end - (QUANTILES.length - 1);
  return QUANTILES.every(([, p], i) => {
    const expected = end - PROBE_SECONDS * (1 - p);
    return t[i] === first + i && Math.abs(v[i]! - expected) <= 5 && (i === 0 || v[i]! > v[i - 1]!);
  });
}

/**
 * The mean of each pod's working set over `rangeSeconds` and its samples in the last hour (a `stat`
 * label tells them apart), in one instant query; in portable mode also p50, p95 and p99, each by its
 * own quantile_over_time over the same subquery. The mean is that of the same systematic sample as
 * the percentiles (one every `resolutionSeconds`: the mean of 1,000 evenly spaced samples is within a
 * fraction of a percent of the exact one); the last hour's count gives the scrape interval, from which
 * the caller counts the raw samples behind the max-per-step trend without reading them all again.
 */
export function workingSetMeanRate(labels: PromLabels, scope: Scope, rangeSeconds: number, resolutionSeconds: number, mode: QueryMode = "fast"): string {
  const base = memorySelector("working_set", labels, scope);
  // portable: the sample at each step is the last one of the 5 minutes before it, spelled out; a bare
  // selector looks back 5 minutes in Prometheus but, in VictoriaMetrics, as long as the subquery's step
  // (tens of minutes), which stretches a pod's last value over the gap after an OOMKill
  const sampled = `${mode === "portable" ? `last_over_time(${base}[${LOOKBACK_SECONDS}s])` : base}[${subqueryRange(rangeSeconds)}:${resolutionSeconds}s]`;
  const parts: [RawStat, string][] = [
    ["mean", `avg_over_time(${sampled})`],
    ["perHour", `count_over_time(${base}[3599s])`], // an hour: ranges include both ends before Prometheus 3
    ...(mode === "portable" ? QUANTILES.map(([stat, p]): [RawStat, string] => [stat, `quantile_over_time(${p}, ${sampled})`]) : []),
  ];
  return parts.map(([stat, expr]) => `label_replace(max by (${BY_CONTAINER}) (${canonical(labels.cadvisor, expr)}), "stat", "${stat}", "", "")`).join(" or ");
}

/** Selectors of the discovery series (for /api/v1/series over a window): pods, containers and images, owners up to the workload, resources. */
export function discovery(labels: PromLabels, namespace?: string) {
  const ns = namespace ? [`${labels.ksm.namespace}=${str(namespace)}`] : [];
  return {
    containers: `kube_pod_container_info${selector(labels, ns)}`,
    podOwners: `kube_pod_owner${selector(labels, ns)}`,
    replicaSetOwners: `kube_replicaset_owner${selector(labels, ns)}`,
    jobOwners: `kube_job_owner${selector(labels, ns)}`,
    limits: `kube_pod_container_resource_limits${selector(labels, [...ns, 'resource="memory"'])}`,
    requests: `kube_pod_container_resource_requests${selector(labels, [...ns, 'resource="memory"'])}`,
  };
}

/**
 * kube-state-metrics' metric of each workload kind's object labels, and the label naming the object. It
 * exports an object's labels only as far as its `--metric-labels-allowlist` allows, each as
 * `label_<key>`, the key written as `ksmLabelKey` (lib/kube/labels.ts) writes it.
 */
export const WORKLOAD_LABEL_METRICS: Record<string, { metric: string; nameLabel: string }> = {
  Deployment: { metric: "kube_deployment_labels", nameLabel: "deployment" },
  StatefulSet: { metric: "kube_statefulset_labels", nameLabel: "statefulset" },
  DaemonSet: { metric: "kube_daemonset_labels", nameLabel: "daemonset" },
  CronJob: { metric: "kube_cronjob_labels", nameLabel: "cronjob" },
  Job: { metric: "kube_job_labels", nameLabel: "job_name" },
};

/**
 * The instant queries of the workload objects' current labels: every controller kind's `kube_*_labels`
 * in one selector, and bare and static pods' `kube_pod_labels` (only those: a pod under a controller is
 * labelled through its controller, and every pod's labels would be a big answer).
 */
export function workloadLabelQueries(labels: PromLabels, namespace?: string): { controllers: string; barePods: string } {
  const ns = namespace ? [`${labels.ksm.namespace}=${str(namespace)}`] : [];
  const names = Object.values(WORKLOAD_LABEL_METRICS).map((m) => m.metric).join("|");
  const on = `on(${labels.ksm.namespace}, ${labels.ksm.pod})`;
  return {
    controllers: selector(labels, [`__name__=~${str(names)}`, ...ns]),
    barePods: `kube_pod_labels${selector(labels, ns)} and ${on} kube_pod_owner${selector(labels, [...ns, 'owner_kind=~"<none>|Node"'])}`,
  };
}

/** Whether the metrics Headroom needs exist, for the connection test: a count per metric. */
export function presence(labels: PromLabels) {
  // a series scraped in the last hour counts: a missed scrape or a slow exporter is not "missing"
  const c = (metric: string, extra: string[] = []) => `count(last_over_time(${metric}${selector(labels, extra)}[1h]))`;
  return {
    cadvisorWorkingSet: c(MEMORY_METRICS.working_set, realContainer(labels.cadvisor)),
    cadvisorRss: c(MEMORY_METRICS.rss, realContainer(labels.cadvisor)),
    ksmContainerInfo: c("kube_pod_container_info"),
    ksmLimits: c("kube_pod_container_resource_limits", ['resource="memory"']),
    ksmLastTerminatedReason: c("kube_pod_container_status_last_terminated_reason"),
    ksmLastTerminatedTimestamp: c("kube_pod_container_status_last_terminated_timestamp"),
    ksmPodOwner: c("kube_pod_owner"),
    ksmRestarts: c("kube_pod_container_status_restarts_total"),
    ksmRequests: c("kube_pod_container_resource_requests", ['resource="memory"']),
    cadvisorCache: c(MEMORY_METRICS.cache, realContainer(labels.cadvisor)),
  };
}

/** cAdvisor's PSI counter: seconds some task of the container waited for memory (Kubernetes 1.33+, cgroup v2). */
export const MEMORY_PRESSURE_METRIC = "container_pressure_memory_waiting_seconds_total";

/** The share of the last 5 minutes each container of a namespace spent waiting for memory (PSI "some"). */
export function memoryStallRatio(labels: PromLabels, namespace?: string): string {
  const sel = `${MEMORY_PRESSURE_METRIC}${selector(labels, [...(namespace ? scopeMatchers(labels.cadvisor, { namespace }) : []), ...realContainer(labels.cadvisor)])}`;
  return `max by (namespace, pod, container) (${canonical(labels.cadvisor, `rate(${sel}[5m])`)})`;
}
