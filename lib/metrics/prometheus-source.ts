import type { SeriesWindow, Termination } from "@/lib/scenarios/types";
import { PrometheusClient, PrometheusError, type PrometheusConfig, type RangeSeries } from "./prometheus-client";
import * as q from "./promql";
import { workloadLabelsOf } from "@/lib/kube/labels";
import { refKey, type AnalysisHistory, type ContainerRef, type MetricsSource, type PodSeries, type RawStats } from "./source";

/** A workload container found in kube-state-metrics. */
export interface DiscoveredContainer {
  name: string;
  image: string | null;
  requestBytes: number | null;
  limitBytes: number | null;
}

/** A workload as kube-state-metrics describes it: owner chain resolved up to the Deployment, StatefulSet, DaemonSet, CronJob… */
export interface DiscoveredWorkload {
  namespace: string;
  kind: string;
  name: string;
  /** pods running at the end of the window */
  replicas: number;
  /** every pod seen in the window, current and gone */
  pods: string[];
  containers: DiscoveredContainer[];
  /**
   * the workload object's labels as kube-state-metrics exports them (`kube_*_labels`, keys as
   * `ksmLabelKey` writes them); null when not asked for, or when it exports none for the object (no
   * allowlist, none of the allowlisted keys set, or not scraped): then the stored labels stand
   */
  labels: Record<string, string> | null;
}

export interface PrometheusSourceOptions extends PrometheusConfig {
  labels?: Parameters<typeof q.promLabels>[0];
  /** smallest step of history queries, seconds (the scrape interval is a good value) */
  minStepSeconds?: number;
}

const key = (...parts: string[]) => parts.join("\u0000");

/**
 * Memory history and inventory from a Prometheus-compatible server, behind the same MetricsSource
 * interface as the demo: pages, incident pipeline and engine cannot tell them apart.
 */
export class PrometheusSource implements MetricsSource {
  readonly client: PrometheusClient;
  readonly labels: q.PromLabels;
  private readonly minStep: number;
  private inventory: { at: number; start: number; workloads: Promise<DiscoveredWorkload[]> } | null = null;
  private termMode: { at: number; mode: Promise<TerminationMode> } | null = null;

  constructor(opts: PrometheusSourceOptions) {
    this.client = new PrometheusClient(opts);
    this.labels = q.promLabels(opts.labels);
    this.minStep = opts.minStepSeconds ?? 60;
  }

  /** Workloads, containers, pods, requests and limits from kube-state-metrics over [start, end]. */
  async discover(start: number, end: number, namespace?: string, opts: { labels?: boolean } = {}): Promise<DiscoveredWorkload[]> {
    const d = q.discovery(this.labels, namespace);
    const ksm = this.labels.ksm;
    const last = (sel: string) => `max by (namespace, pod, container) (${q.canonical(ksm, `last_over_time(${sel}[${Math.max(60, end - start)}s])`)})`;
    const labelQueries = opts.labels ? q.workloadLabelQueries(this.labels, namespace) : null;
    const [podOwners, rsOwners, jobOwners, infos, limits, requests, current, controllerLabels, podLabels] = await Promise.all([
      this.client.series([d.podOwners], start, end),
      this.client.series([d.replicaSetOwners], start, end),
      this.client.series([d.jobOwners], start, end),
      this.client.series([d.containers], start, end),
      this.client.query(last(d.limits), end),
      this.client.query(last(d.requests), end),
      this.client.query(`max by (namespace, pod) (${q.canonical(ksm, `last_over_time(${d.podOwners}[5m])`)})`, end),
      // the objects' labels, only when asked (the sync stores them; pages and the minute's reads never use
      // them), as they are at the window's end (instant queries: a label changed earlier is a stale series);
      // optional: a Prometheus that cannot answer leaves the labels unknown, never the inventory
      labelQueries ? this.client.query(labelQueries.controllers, end).catch(() => []) : [],
      labelQueries ? this.client.query(labelQueries.barePods, end).catch(() => []) : [],
    ]);
    const objectLabels = workloadLabels([...controllerLabels, ...podLabels].map((s) => s.metric), ksm);
    const rsOwner = new Map(rsOwners.filter((s) => s.owner_kind && s.owner_kind !== "<none>").map((s) => [key(s[ksm.namespace]!, s.replicaset!), s]));
    const jobOwner = new Map(jobOwners.filter((s) => s.owner_kind && s.owner_kind !== "<none>").map((s) => [key(s[ksm.namespace]!, s.job_name!), s]));
    const workloadOfPod = new Map<string, { kind: string; name: string }>();
    for (const s of podOwners) {
      const ns = s[ksm.namespace];
      const pod = s[ksm.pod];
      if (!ns || !pod) continue;
      let kind = s.owner_kind ?? "<none>";
      let name = s.owner_name ?? "<none>";
      if (kind === "ReplicaSet") {
        const up = rsOwner.get(key(ns, name));
        if (up) ({ owner_kind: kind, owner_name: name } = up as { owner_kind: string; owner_name: string });
      } else if (kind === "Job") {
        const up = jobOwner.get(key(ns, name));
        if (up) ({ owner_kind: kind, owner_name: name } = up as { owner_kind: string; owner_name: string });
      }
      // bare pods, and static pods (mirror pods, owned by their Node): each its own workload
      if (kind === "<none>" || !kind || kind === "Node") {
        kind = "Pod";
        name = pod;
      }
      workloadOfPod.set(key(ns, pod), { kind, name });
    }
    const running = new Set(current.map((s) => key(s.metric.namespace!, s.metric.pod!)));
    const bytes = new Map<string, number>();
    for (const [label, list] of [["limit", limits], ["request", requests]] as const) {
      for (const s of list) bytes.set(key(label, s.metric.namespace!, s.metric.pod!, s.metric.container!), s.v);
    }
    const out = new Map<string, DiscoveredWorkload & { _containers: Map<string, DiscoveredContainer & { fromRunning: boolean }> }>();
    for (const s of infos) {
      const ns = s[ksm.namespace];
      const pod = s[ksm.pod];
      const container = s[ksm.container];
      if (!ns || !pod || !container) continue;
      const w = workloadOfPod.get(key(ns, pod)) ?? { kind: "Pod", name: pod };
      const wk = key(ns, w.kind, w.name);
      let wl = out.get(wk);
      if (!wl) {
        wl = { namespace: ns, kind: w.kind, name: w.name, replicas: 0, pods: [], containers: [], labels: objectLabels.get(key(ns, w.kind, w.name)) ?? null, _containers: new Map() };
        out.set(wk, wl);
      }
      if (!wl.pods.includes(pod)) wl.pods.push(pod);
      const isRunning = running.has(key(ns, pod));
      const limit = bytes.get(key("limit", ns, pod, container)) ?? null;
      const request = bytes.get(key("request", ns, pod, container)) ?? null;
      const prev = wl._containers.get(container);
      // the spec of a running pod wins over the spec of a pod that is gone (a rollout changed it)
      if (!prev || (isRunning && !prev.fromRunning)) {
        wl._containers.set(container, { name: container, image: s.image ?? null, limitBytes: limit, requestBytes: request, fromRunning: isRunning });
      }
    }
    return [...out.values()]
      .map(({ _containers, ...w }) => ({
        ...w,
        replicas: w.pods.filter((p) => running.has(key(w.namespace, p))).length,
        pods: w.pods.sort(),
        containers: [..._containers.values()].map(({ fromRunning: _f, ...c }) => c).sort((a, b) => a.name.localeCompare(b.name)),
      }))
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }

  /** Discovery over the window, cached for a minute (pages ask for one container after another). */
  /** The whole cluster's workloads, discovered once for concurrent and consecutive reads of about the same window (a page's chart and verdict). */
  private workloads(start: number, end: number): Promise<DiscoveredWorkload[]> {
    if (this.inventory && Math.abs(this.inventory.at - end) < 60 && this.inventory.start <= start) return this.inventory.workloads;
    const entry = { at: end, start, workloads: this.discover(start, end) };
    // a failed discovery is not kept
    entry.workloads.catch(() => {
      if (this.inventory === entry) this.inventory = null;
    });
    this.inventory = entry;
    return entry.workloads;
  }

  async containerHistory(ref: ContainerRef, window: SeriesWindow): Promise<PodSeries[]> {
    const workloads = await this.workloads(window.start, window.end);
    const w = workloads.find((x) => x.namespace === ref.namespace && x.kind === ref.workloadKind && x.name === ref.workloadName);
    if (!w || !w.containers.some((c) => c.name === ref.container)) return [];
    const scope: q.Scope = { namespace: ref.namespace, pods: w.pods, container: ref.container };
    const step = q.stepFor(window.start, window.end, Math.max(this.minStep, window.stepSeconds));
    const range = (m: q.MemoryMetric) => this.client.queryRange(q.memoryRange(m, this.labels, scope, step), window.start, window.end, step).then(mergeByContainer);
    const [ws, rss, cache, terms] = await Promise.all([
      range("working_set"),
      range("rss"),
      range("cache"),
      this.terminations(scope, window.start, window.end, Math.min(step, TERMINATION_STEP)),
    ]);
    const byPod = (list: RangeSeries[]) => new Map(list.map((s) => [s.metric.pod!, s]));
    const rssBy = byPod(rss);
    const cacheBy = byPod(cache);
    return ws
      .map((s) => {
        const pod = s.metric.pod!;
        return {
          pod,
          t: s.t,
          workingSet: s.v,
          rss: alignTo(s.t, rssBy.get(pod)),
          cache: alignTo(s.t, cacheBy.get(pod)),
          terminations: terms.get(key(ref.namespace, pod, ref.container)) ?? [],
        };
      })
      .sort((a, b) => a.pod.localeCompare(b.pod));
  }

  /**
   * How this cluster's kube-state-metrics dates terminations: "timestamp" (2.11+, the exact time of
   * each one) or "restarts" (older: only a restart count and the last reason). Checked over the
   * window, again every 10 minutes (an upgrade shows up without a restart of Headroom).
   */
  terminationMode(end: number, rangeSeconds: number): Promise<TerminationMode> {
    if (!this.termMode || Date.now() - this.termMode.at > 600_000) {
      const mode = this.client.query(q.terminationMetrics(this.labels, Math.max(3600, rangeSeconds)), end).then((r): TerminationMode => {
        const count = (stat: string) => r.find((x) => x.metric.stat === stat)?.v ?? 0;
        return count("timestamp") === 0 && count("reason") > 0 ? "restarts" : "timestamp";
      });
      const entry = { at: Date.now(), mode };
      // a failed check is not cached (and never an unhandled rejection)
      mode.catch(() => {
        if (this.termMode === entry) this.termMode = null;
      });
      this.termMode = entry;
    }
    return this.termMode.mode;
  }

  /**
   * How this endpoint computes percentiles ("fast" or "portable", see q.QueryMode): decided by a probe
   * whose answer is known, once per endpoint (shared by every source of the same URL) and again after
   * an hour, so an upgrade or a server swapped behind the URL shows up without a restart. A server
   * that refuses the probe's query (no `@` modifier, a PromQL dialect) is portable; one that cannot be
   * reached or refuses the credentials fails the read, and nothing is cached.
   */
  queryMode(opts: { refresh?: boolean } = {}): Promise<q.QueryMode> {
    const hit = queryModes.get(this.client.url);
    if (hit && !opts.refresh && Date.now() - hit.at < QUERY_MODE_TTL_MS) return hit.mode;
    // the probe's series is synthetic: any time will do; whole seconds keep the steps exact, and five
    // minutes ago stays clear of the recent past a server may hold back (VictoriaMetrics' latency offset)
    const end = Math.floor(Date.now() / 1000) - 300;
    const probe = q.quantileProbe(end);
    const mode = this.client.queryRange(probe.query, probe.start, probe.end, probe.step).then(
      (answer): q.QueryMode => (q.isFastQuantileAnswer(answer, end) ? "fast" : "portable"),
      (e: unknown): q.QueryMode => {
        if (isRefusedQuery(e)) return "portable";
        throw e;
      },
    );
    const entry = { at: Date.now(), mode };
    mode.catch(() => {
      if (queryModes.get(this.client.url) === entry) queryModes.delete(this.client.url);
    });
    queryModes.set(this.client.url, entry);
    return mode;
  }

  /**
   * Terminations of the scope's containers in the window, from kube-state-metrics: each distinct
   * value of last_terminated_timestamp is one termination; its reason and exit code are the ones
   * reported at the first step that shows it. Without that metric (kube-state-metrics before 2.11),
   * each rise of the restart count is that many terminations, dated within their step.
   */
  async terminations(scope: q.Scope, start: number, end: number, wantedStep: number, opts: { exitCodes?: boolean } = {}): Promise<Map<string, Termination[]>> {
    // change detection keeps the answers small; two kills closer than the step merge into one
    const step = q.stepFor(start, end, wantedStep);
    const mode = await this.terminationMode(end, end - start);
    // times: evaluate at `end` itself (steps count back from it), so a kill in the last step is not
    // missed; restarts: steps on multiples of the step, so a restart is dated the same way by every
    // read (a sync does not see it twice), and one in the unfinished step waits for it to end
    const to = mode === "timestamp" ? end : Math.floor(end / step) * step;
    const from = to - Math.ceil((to - start) / step) * step;
    const [stamps, codes] = await Promise.all([
      this.client.queryRange(mode === "timestamp" ? q.terminationsWithReason(this.labels, scope, step) : q.restartsWithReason(this.labels, scope, step), from, to, step),
      opts.exitCodes === false
        ? Promise.resolve([])
        : this.client.queryRange(mode === "timestamp" ? q.lastTerminatedExitCode(this.labels, scope, step) : q.restartExitCode(this.labels, scope, step), from, to, step),
    ]);
    const codeOf = new Map(codes.map((s) => [key(s.metric.namespace!, s.metric.pod!, s.metric.container!), s]));
    const out = new Map<string, Termination[]>();
    for (const s of stamps) {
      const k = key(s.metric.namespace!, s.metric.pod!, s.metric.container!);
      const reason = s.metric.reason ?? "Unknown";
      const list = out.get(k) ?? [];
      const codes = codeOf.get(k);
      const kind = (reason === "OOMKilled" || reason === "Completed" ? reason : "Error") as Termination["reason"];
      for (let i = 0; i < s.t.length; i++) {
        const ci = codes ? indexOf(codes.t, s.t[i]!) : -1;
        const exitCode = ci >= 0 ? codes!.v[ci]! : reason === "OOMKilled" ? 137 : -1;
        // n restarts in the step ending at t: spread evenly over it (when it holds one, its middle)
        const n = mode === "timestamp" ? 1 : Math.min(Math.round(s.v[i]!), 1000);
        for (let j = 0; j < n; j++) {
          const at = mode === "timestamp" ? s.v[i]! : Math.round(s.t[i]! - step + ((j + 0.5) * step) / n);
          if (at <= 0 || at < start || at > end || list.some((x) => x.at === at)) continue;
          list.push({ at, reason: kind, exitCode });
        }
      }
      out.set(k, list);
    }
    for (const list of out.values()) list.sort((x, y) => x.at - y.at);
    return out;
  }

  /** A container's verdict history: the whole-cluster read (trend and Prometheus's statistics) scoped to it, as the sync reads it. */
  async analysisHistory(ref: ContainerRef, window: SeriesWindow): Promise<AnalysisHistory> {
    const [h] = await this.clusterHistory(window, {
      namespace: ref.namespace, workload: { kind: ref.workloadKind, name: ref.workloadName }, container: ref.container, terminationStep: TERMINATION_STEP, exitCodes: true,
    });
    return h ? { pods: h.pods, rawStats: h.rawStats } : { pods: [] };
  }

  async latestWorkingSet(refs: ContainerRef[], at: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (refs.length === 0) return out;
    const workloads = await this.workloads(at - 3600, at);
    const byName = new Map(workloads.map((w) => [key(w.namespace, w.kind, w.name), w]));
    // one query for the whole cluster, whatever the number of namespaces the refs span
    const list = await this.client.query(`max by (namespace, pod, container) (${q.canonical(this.labels.cadvisor, `last_over_time(${q.memorySelector("working_set", this.labels, null)}[10m])`)})`, at);
    const value = new Map<string, number>();
    for (const s of list) value.set(key(s.metric.namespace!, s.metric.pod!, s.metric.container!), s.v);
    for (const ref of refs) {
      const w = byName.get(key(ref.namespace, ref.workloadKind, ref.workloadName));
      let best = -1;
      for (const pod of w?.pods ?? []) best = Math.max(best, value.get(key(ref.namespace, pod, ref.container)) ?? -1);
      if (best >= 0) out.set(refKey(ref), best);
    }
    return out;
  }

  /** PSI of each container (highest pod) over the last 5 minutes; null when no container of these namespaces reports it. */
  async memoryStall(refs: ContainerRef[], at: number): Promise<Map<string, number> | null> {
    if (refs.length === 0) return new Map();
    const workloads = await this.workloads(at - 3600, at);
    const byName = new Map(workloads.map((w) => [key(w.namespace, w.kind, w.name), w]));
    const namespaces = new Set(refs.map((r) => r.namespace));
    // one query for the whole cluster; "none reports it" is judged on the refs' namespaces, as it was
    const list = (await this.client.query(q.memoryStallRatio(this.labels), at)).filter((s) => namespaces.has(s.metric.namespace!));
    if (list.length === 0) return null;
    const value = new Map<string, number>();
    for (const s of list) value.set(key(s.metric.namespace!, s.metric.pod!, s.metric.container!), s.v);
    const out = new Map<string, number>();
    for (const ref of refs) {
      const w = byName.get(key(ref.namespace, ref.workloadKind, ref.workloadName));
      let best = -1;
      for (const pod of w?.pods ?? []) best = Math.max(best, value.get(key(ref.namespace, pod, ref.container)) ?? -1);
      if (best >= 0) out.set(refKey(ref), best);
    }
    return out;
  }

  /**
   * Every container of every workload (or those of one namespace) for a whole-cluster analysis, in a
   * handful of queries per namespace whatever the number of containers: Prometheus computes the
   * statistics of the raw samples (quantile_over_time, count_over_time…) and folds the history into a
   * max-per-step series of about 360 points for trends (hourly at most: 14 days in 360 points, the
   * sync's 30 days in 720; a leak's slope and a spike's peak survive, and the maximum stays exact), and terminations come as
   * change points at their own finer step (about 720 a window), so kills an hour apart stay two kills.
   */
  async clusterHistory(
    window: SeriesWindow,
    filter: { namespace?: string; workload?: { kind: string; name: string }; container?: string; terminationStep?: number; exitCodes?: boolean; labels?: boolean } = {},
  ): Promise<ClusterContainerHistory[]> {
    // checked beside discovery rather than after it
    void this.terminationMode(window.end, window.end - window.start).catch(() => undefined);
    const queryMode = this.queryMode();
    queryMode.catch(() => undefined);
    const only = filter.workload;
    // one workload (a container's page) comes from the cached inventory its charts read too
    const workloads = (await (only ? this.workloads(window.start, window.end) : this.discover(window.start, window.end, filter.namespace, { labels: filter.labels })))
      .filter((w) => !filter.namespace || w.namespace === filter.namespace)
      .filter((w) => !only || (w.kind === only.kind && w.name === only.name))
      .map((w) => (filter.container ? { ...w, containers: w.containers.filter((c) => c.name === filter.container) } : w));
    const stepOf = (points: number) => q.stepFor(window.start, window.end, Math.max(this.minStep, window.stepSeconds, Math.min(MAX_TREND_STEP, Math.ceil((window.end - window.start) / points))));
    const trendStep = stepOf(TREND_POINTS);
    const terminationStep = filter.terminationStep ?? stepOf(TERMINATION_POINTS);
    const range = Math.max(60, window.end - window.start);
    // percentiles from about 1,000 evenly spaced samples a series (20 minutes apart over 14 days):
    // a p99 that is still the 10th highest of the sample, and the maximum stays exact from the trend
    const resolution = Math.max(60, Math.ceil(range / 1008 / 60) * 60);
    const namespaces = [...new Set(workloads.map((w) => w.namespace))];
    const mode = namespaces.length > 0 ? await queryMode : "fast";
    const perNs = await Promise.all(
      namespaces.map(async (namespace) => {
        // one workload (a container's page): its pods only; otherwise the whole namespace
        const scope: q.Scope = only ? { namespace, pods: workloads.flatMap((w) => w.pods), container: filter.container } : { namespace };
        // fast: the percentiles in one pass beside the mean; portable: with the mean, each by itself
        const quantiles = q.workingSetQuantiles(this.labels, scope, range, resolution, window.end);
        const [ws, percentiles, meanRate, terms] = await Promise.all([
          this.client.queryRange(q.memoryRange("working_set", this.labels, scope, trendStep), window.start, window.end, trendStep).then(mergeByContainer),
          mode === "fast" ? this.client.queryRange(quantiles.query, quantiles.start, quantiles.end, quantiles.step) : Promise.resolve([]),
          this.client.query(q.workingSetMeanRate(this.labels, scope, range, resolution, mode), window.end),
          this.terminations(scope, window.start, window.end, terminationStep, { exitCodes: filter.exitCodes ?? false }),
        ]);
        const stats = [
          ...meanRate.map((s) => ({ metric: s.metric, stat: s.metric.stat as q.RawStat, v: s.v })),
          ...percentiles.flatMap((s) => Array.from(s.t, (t, i) => ({ metric: s.metric, stat: q.QUANTILES[t - quantiles.start]?.[0], v: s.v[i]! }))),
        ];
        // the namespace's scrape interval: the median pod's samples in the last hour (pods that started
        // or stopped within it count fewer); a minute when no pod has any
        const rates = meanRate.filter((s) => s.metric.stat === "perHour" && s.v > 0).map((s) => s.v).sort((a, b) => a - b);
        const interval = rates.length > 0 ? 3600 / rates[Math.floor(rates.length / 2)]! : 60;
        return { namespace, ws, stats, terms, interval };
      }),
    );
    const series = new Map<string, RangeSeries>();
    const terms = new Map<string, Termination[]>();
    const stats = new Map<string, PodStats>();
    for (const r of perNs) {
      for (const s of r.ws) {
        const k = key(r.namespace, s.metric.pod!, s.metric.container!);
        series.set(k, s);
        // each trend point covers a step of raw samples (fewer at the ends of a pod's life, where the
        // estimate errs by less than one step; a point at the window's start looks back before it and
        // counts as one); a step shorter than the scrape interval holds one
        const before = s.t.length > 0 && s.t[0]! <= window.start ? 1 : 0;
        stats.set(k, { ...stats.get(k), samples: Math.round((s.t.length - before) * Math.max(1, trendStep / r.interval)) + before });
      }
      for (const [k, v] of r.terms) terms.set(k, v);
      for (const s of r.stats) {
        const k = key(r.namespace, s.metric.pod!, s.metric.container!);
        const entry = stats.get(k) ?? {};
        if (s.stat) entry[s.stat] = s.v;
        stats.set(k, entry);
      }
    }
    const empty = new Float64Array(0);
    return workloads.flatMap((w) =>
      w.containers.map((c) => {
        // a pod without a working set still brings its terminations (its kills count)
        const pods = w.pods.flatMap((pod) => {
          const s = series.get(key(w.namespace, pod, c.name));
          const t = terms.get(key(w.namespace, pod, c.name)) ?? [];
          return s || t.length ? [{ pod, t: s?.t ?? empty, workingSet: s?.v ?? empty, rss: empty, cache: empty, terminations: t }] : [];
        });
        return { workload: w, container: c, pods, rawStats: poolStats(pods, w.pods.map((pod) => stats.get(key(w.namespace, pod, c.name)))) };
      }),
    );
  }
}

/**
 * What is wrong when a whole-cluster read found nothing to analyse: no workload (kube-state-metrics
 * missing, or the cluster label wrong), or workloads without a single working-set series (cAdvisor
 * not scraped, or its label names differ). Null when there is something to analyse.
 */
export function coverageProblem(history: ClusterContainerHistory[], labels: q.PromLabels): string | null {
  const cluster = labels.clusterLabel && labels.clusterValue !== null ? ` for ${labels.clusterLabel}="${labels.clusterValue}"` : "";
  if (history.length === 0) return `kube-state-metrics lists no workloads${cluster}: check that Prometheus scrapes kube-state-metrics${cluster ? " and the cluster label" : ""}.`;
  if (history.some((h) => h.pods.some((p) => p.t.length > 0))) return null;
  const n = history.reduce((k, h) => k + h.workload.pods.length, 0);
  const { namespace, pod, container } = labels.cadvisor;
  return `kube-state-metrics lists ${n} pods${cluster}, but no cAdvisor working-set series (container_memory_working_set_bytes) match them: check that Prometheus scrapes the kubelets' cAdvisor (/metrics/cadvisor) and the cAdvisor label names (now ${namespace}, ${pod}, ${container}).`;
}

/**
 * Each workload object's labels from `kube_*_labels` series (keyed by namespace, kind and name; a bare
 * pod's from `kube_pod_labels`): the `label_` labels without their prefix (two series of one object,
 * as a relabelled second scrape gives, are merged).
 */
export function workloadLabels(series: Record<string, string>[], ksm: q.LabelNames): Map<string, Record<string, string>> {
  const byMetric = new Map<string, { kind: string; nameLabel: string }>([
    ...Object.entries(q.WORKLOAD_LABEL_METRICS).map(([kind, m]) => [m.metric, { kind, nameLabel: m.nameLabel }] as const),
    ["kube_pod_labels", { kind: "Pod", nameLabel: ksm.pod }],
  ]);
  const out = new Map<string, Record<string, string>>();
  for (const s of series) {
    const m = byMetric.get(s.__name__ ?? "");
    const ns = s[ksm.namespace];
    const name = m ? s[m.nameLabel] : undefined;
    if (!m || !ns || !name) continue;
    const k = key(ns, m.kind, name);
    const labels = out.get(k) ?? {};
    for (const [l, v] of Object.entries(s)) if (l.startsWith("label_") && l.length > 6 && v !== "") labels[l.slice(6)] = v;
    out.set(k, labels);
  }
  // what the inventory keeps of any source: valid keys and values, at most MAX_WORKLOAD_LABELS; an object
  // with none left is as unknown as one without a series (stored labels stand)
  for (const [k, labels] of out) {
    const kept = workloadLabelsOf(labels);
    if (Object.keys(kept).length) out.set(k, kept);
    else out.delete(k);
  }
  return out;
}

/** A workload container's pods for a whole-cluster analysis, with Prometheus's statistics of the raw samples. */
export interface ClusterContainerHistory {
  workload: DiscoveredWorkload;
  container: DiscoveredContainer;
  pods: PodSeries[];
  rawStats: RawStats | undefined;
}

/** how kube-state-metrics dates terminations: exact times (2.11+) or restart counts (older) */
export type TerminationMode = "timestamp" | "restarts";

/** Whether the server refused or misread the query itself (400, 422, an error in a 200, an answer of another shape), not the request. */
function isRefusedQuery(e: unknown): boolean {
  if (!(e instanceof PrometheusError)) return false;
  if (e.kind === "bad_response") return true;
  if (e.kind === "query" && e.status === undefined) return true;
  return (e.kind === "query" || e.kind === "http") && (e.status === 400 || e.status === 422);
}

/** each endpoint's percentile mode, by URL, with when it was decided */
const queryModes = new Map<string, { at: number; mode: Promise<q.QueryMode> }>();
const QUERY_MODE_TTL_MS = 3_600_000;

const TREND_POINTS = 360;
/** the trend's coarsest step: a leak's sawtooth between kills a few hours apart, and its restarts, must survive */
const MAX_TREND_STEP = 3600;
const TERMINATION_POINTS = 720;
/** the finest step terminations are read at (a container's history, the sync): kills two minutes apart stay two */
export const TERMINATION_STEP = 120;

/** One pod's statistics: Prometheus's (percentiles, mean, last hour's samples) and its raw samples as counted from the trend. */
type PodStats = Partial<Record<q.RawStat | "samples", number>>;

/**
 * The container's statistics from its pods' own: the maximum exactly, samples summed, the mean
 * weighted by samples, and each percentile as the highest pod's (an upper bound of the pooled one,
 * which errs towards room).
 */
function poolStats(pods: PodSeries[], perPod: (PodStats | undefined)[]): ClusterContainerHistory["rawStats"] {
  const stats = perPod.filter((p): p is PodStats & { samples: number } => !!p && p.samples !== undefined && p.samples > 0 && p.mean !== undefined);
  if (stats.length === 0) return undefined;
  // the max-per-step series cover every raw sample, so their peak is the exact maximum
  let max = -Infinity;
  for (const p of pods) for (let i = 0; i < p.workingSet.length; i++) if (p.workingSet[i]! > max) max = p.workingSet[i]!;
  const samples = stats.reduce((n, p) => n + p.samples, 0);
  const p99 = Math.max(...stats.map((p) => p.p99 ?? 0));
  const top = Number.isFinite(max) ? max : p99;
  // a sampled percentile never tops the exact maximum, but the subquery may look a little further
  // back than the trend's first step: the maximum bounds it
  const bounded = (v: number) => Math.min(v, top);
  return {
    samples,
    stats: {
      mean: stats.reduce((s, p) => s + (p.mean ?? 0) * p.samples, 0) / samples,
      p50: bounded(Math.max(...stats.map((p) => p.p50 ?? 0))),
      p95: bounded(Math.max(...stats.map((p) => p.p95 ?? 0))),
      p99: bounded(p99),
      max: top,
    },
  };
}

/** One series per (namespace, pod, container): duplicates (two scrape jobs, extra labels) merged by their maximum at each step. */
export function mergeByContainer(list: RangeSeries[]): RangeSeries[] {
  const groups = new Map<string, RangeSeries[]>();
  for (const s of list) {
    const k = key(s.metric.namespace ?? "", s.metric.pod ?? "", s.metric.container ?? "");
    const g = groups.get(k);
    if (g) g.push(s);
    else groups.set(k, [s]);
  }
  const out: RangeSeries[] = [];
  for (const g of groups.values()) {
    const first = g[0]!;
    const metric = { namespace: first.metric.namespace!, pod: first.metric.pod!, container: first.metric.container! };
    if (g.length === 1) {
      out.push({ metric, t: first.t, v: first.v });
      continue;
    }
    const at = new Map<number, number>();
    for (const s of g) for (let i = 0; i < s.t.length; i++) at.set(s.t[i]!, Math.max(at.get(s.t[i]!) ?? -Infinity, s.v[i]!));
    const times = [...at.keys()].sort((a, b) => a - b);
    out.push({ metric, t: Float64Array.from(times), v: Float64Array.from(times, (t) => at.get(t)!) });
  }
  return out;
}

function indexOf(t: Float64Array, at: number): number {
  let lo = 0;
  let hi = t.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid]! === at) return mid;
    if (t[mid]! < at) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Values of `other` at the times `t` (NaN where it has none). */
function alignTo(t: Float64Array, other: RangeSeries | undefined): Float64Array {
  const out = new Float64Array(t.length).fill(NaN);
  if (!other) return out;
  let j = 0;
  for (let i = 0; i < t.length; i++) {
    while (j < other.t.length && other.t[j]! < t[i]!) j++;
    if (j < other.t.length && other.t[j] === t[i]) out[i] = other.v[j]!;
  }
  return out;
}
