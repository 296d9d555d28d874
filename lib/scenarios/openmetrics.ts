import fs from "node:fs";
import { fleetPods, fleetSpec, type FleetCluster, type FleetWorkload } from "./demo-fleet";
import { generateSeries, scenarioTerminations } from "./index";
import { seedOf } from "./random";
import { WORKLOAD_LABEL_METRICS } from "@/lib/metrics/promql";
import { ksmLabelKey } from "@/lib/kube/labels";

/**
 * The scenario fleet as cAdvisor and kube-state-metrics would have exposed it: in OpenMetrics text
 * for `promtool tsdb create-blocks-from openmetrics` (timestamps in seconds), or in the Prometheus
 * text format with millisecond timestamps that VictoriaMetrics imports (`/api/v1/import/prometheus`).
 * The same series a real cluster's Prometheus holds, so tests and benches query real servers
 * instead of mocks.
 */

export interface ExportOptions {
  start: number;
  end: number;
  /** memory scrape interval, seconds */
  step: number;
  /** kube-state-metrics interval for spec series (info, owners, resources), seconds */
  specStep?: number;
  /** label naming the cluster (a central Prometheus); null for one cluster per Prometheus */
  clusterLabel?: string | null;
  /** kube-state-metrics interval for termination series, seconds (the memory step by default) */
  terminationStep?: number;
  /** which cAdvisor metrics to write (all three by default) */
  memory?: ("working_set" | "rss" | "cache")[];
  /** renamed namespace/pod/container labels, as relabelling leaves them (e.g. ksm: exported_namespace) */
  labelNames?: { cadvisor?: Partial<Record<"namespace" | "pod" | "container", string>>; ksm?: Partial<Record<"namespace" | "pod" | "container", string>> };
  /** metrics to leave out, e.g. kube_pod_container_status_last_terminated_timestamp as kube-state-metrics before 2.11 */
  omit?: string[];
}

const Mi = 1024 * 1024;

/** An object's Kubernetes labels as kube-state-metrics' `kube_*_labels` carry them: `label_<key>`. */
const ksmLabels = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [`label_${ksmLabelKey(k)}`, v]));
const KSM_TARGET = { namespace: "monitoring", pod: "kube-state-metrics-7d9f8b6c5-x2k4q", container: "kube-state-metrics" };

interface PodRow {
  cluster: FleetCluster;
  workload: FleetWorkload;
  pod: ReturnType<typeof fleetPods>[number];
  labels: Record<string, string>;
  owner: { kind: string; name: string };
}

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const fmt = (labels: Record<string, string>) => `{${Object.entries(labels).map(([k, v]) => `${k}="${esc(v)}"`).join(",")}}`;

/** The ReplicaSet (Deployment) or Job (CronJob) between a demo workload and its pods. */
export function intermediateOwner(cluster: string, w: FleetWorkload): { kind: string; name: string } {
  if (w.kind === "Deployment") return { kind: "ReplicaSet", name: `${w.name}-${seedOf(`${cluster}/${w.namespace}/${w.name}`).toString(36).slice(0, 9).padEnd(9, "x")}` };
  if (w.kind === "CronJob") return { kind: "Job", name: `${w.name}-29000000` };
  return { kind: w.kind, name: w.name };
}

/** Writes the fleet's series to `file` as OpenMetrics (for promtool); returns how many samples it wrote. */
export function writeOpenMetrics(file: string, fleet: FleetCluster[], opts: ExportOptions): number {
  const fd = fs.openSync(file, "w");
  try {
    const chunks = exposition(fleet, opts, "openmetrics");
    for (let r = chunks.next(); ; r = chunks.next()) {
      if (r.done) return r.value;
      fs.writeSync(fd, r.value);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The fleet's series in the Prometheus text format with millisecond timestamps, as chunks of about a
 * MiB (VictoriaMetrics' `/api/v1/import/prometheus` reads it); the generator returns the sample count.
 */
export function prometheusText(fleet: FleetCluster[], opts: ExportOptions): Generator<string, number> {
  return exposition(fleet, opts, "prometheus");
}

function* exposition(fleet: FleetCluster[], opts: ExportOptions, format: "openmetrics" | "prometheus"): Generator<string, number> {
  let buf = "";
  let samples = 0;
  // the Prometheus text format dates samples in milliseconds, OpenMetrics in seconds
  const at = format === "prometheus" ? "000" : "";
  const specStep = opts.specStep ?? Math.max(opts.step, 300);
  const grid = (step: number) => {
    const out: number[] = [];
    for (let t = opts.start; t <= opts.end; t += step) out.push(t);
    if (out[out.length - 1] !== opts.end) out.push(opts.end);
    return out;
  };
  const specTimes = grid(specStep);
  const rows: PodRow[] = [];
  for (const cluster of fleet) {
    for (const workload of cluster.workloads) {
      for (const pod of fleetPods(cluster.slug, workload)) {
        const base: Record<string, string> = opts.clusterLabel ? { [opts.clusterLabel]: cluster.slug } : {};
        rows.push({ cluster, workload, pod, labels: { ...base, namespace: workload.namespace, pod: pod.name }, owner: intermediateOwner(cluster.slug, workload) });
      }
    }
  }
  const family = (name: string, type: "gauge" | "counter" | "unknown" = "gauge") => {
    buf += `# TYPE ${name} ${type}\n`;
  };
  const rename = (name: string, labels: Record<string, string>) => {
    const names = name.startsWith("container_") ? opts.labelNames?.cadvisor : opts.labelNames?.ksm;
    if (!names) return labels;
    const out = Object.fromEntries(Object.entries(labels).map(([k, v]) => [(names as Record<string, string | undefined>)[k] ?? k, v]));
    // scraped without honor_labels, the exporter's own target labels take the standard names
    for (const [k, v] of Object.entries(KSM_TARGET)) if ((names as Record<string, string | undefined>)[k] === `exported_${k}`) out[k] = v;
    return out;
  };
  function* series(name: string, labels: Record<string, string>, times: ArrayLike<number>, value: (i: number) => number | null) {
    const head = `${name}${fmt(rename(name, labels))} `;
    for (let i = 0; i < times.length; i++) {
      const v = value(i);
      if (v === null) continue;
      buf += `${head}${v} ${times[i]}${at}\n`;
      samples++;
    }
    if (buf.length > 1 << 20) {
      yield buf;
      buf = "";
    }
  }

  // cAdvisor
  const metrics = { working_set: "container_memory_working_set_bytes", rss: "container_memory_rss", cache: "container_memory_cache" } as const;
  for (const m of opts.memory ?? (["working_set", "rss", "cache"] as const)) {
    family(metrics[m]);
    for (const r of rows) {
      for (const c of r.workload.containers) {
        const s = generateSeries(fleetSpec(r.cluster.slug, r.workload, c, r.pod), { start: opts.start, end: opts.end, stepSeconds: opts.step });
        const values = m === "working_set" ? s.workingSet : m === "rss" ? s.rss : s.cache;
        yield* series(metrics[m], { ...r.labels, container: c.name, image: c.image }, s.t, (i) => values[i]!);
      }
    }
  }

  // kube-state-metrics: spec
  family("kube_pod_container_info");
  for (const r of rows) for (const c of r.workload.containers) yield* series("kube_pod_container_info", { ...r.labels, container: c.name, image: c.image }, specTimes, () => 1);
  family("kube_pod_owner");
  for (const r of rows) yield* series("kube_pod_owner", { ...r.labels, owner_kind: r.owner.kind, owner_name: r.owner.name, owner_is_controller: "true" }, specTimes, () => 1);
  family("kube_replicaset_owner");
  family("kube_job_owner");
  const seen = new Set<string>();
  for (const r of rows) {
    if (r.owner.kind !== "ReplicaSet" && r.owner.kind !== "Job") continue;
    const k = `${r.cluster.slug}/${r.workload.namespace}/${r.owner.name}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const base = opts.clusterLabel ? { [opts.clusterLabel]: r.cluster.slug } : {};
    if (r.owner.kind === "ReplicaSet") yield* series("kube_replicaset_owner", { ...base, namespace: r.workload.namespace, replicaset: r.owner.name, owner_kind: "Deployment", owner_name: r.workload.name }, specTimes, () => 1);
  }
  for (const r of rows) {
    if (r.owner.kind !== "Job") continue;
    const k = `job/${r.cluster.slug}/${r.workload.namespace}/${r.owner.name}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const base = opts.clusterLabel ? { [opts.clusterLabel]: r.cluster.slug } : {};
    yield* series("kube_job_owner", { ...base, namespace: r.workload.namespace, job_name: r.owner.name, owner_kind: "CronJob", owner_name: r.workload.name }, specTimes, () => 1);
  }
  for (const kind of ["limits", "requests"] as const) {
    family(`kube_pod_container_resource_${kind}`);
    for (const r of rows) {
      for (const c of r.workload.containers) {
        const mi = kind === "limits" ? c.limitMi : c.requestMi;
        if (mi === null) continue;
        yield* series(`kube_pod_container_resource_${kind}`, { ...r.labels, container: c.name, resource: "memory", unit: "byte" }, specTimes, () => mi * Mi);
      }
    }
  }

  // kube-state-metrics: each workload object's labels, as `--metric-labels-allowlist=<kinds>=[*]` exports them
  for (const [kind, { metric, nameLabel }] of Object.entries(WORKLOAD_LABEL_METRICS)) {
    if (opts.omit?.includes(metric)) continue;
    const of = fleet.flatMap((cluster) => cluster.workloads.filter((w) => w.kind === kind && w.labels).map((w) => ({ cluster, w })));
    if (!of.length) continue;
    family(metric);
    for (const { cluster, w } of of) {
      const base = opts.clusterLabel ? { [opts.clusterLabel]: cluster.slug } : {};
      yield* series(metric, { ...base, namespace: w.namespace, [nameLabel]: w.name, ...ksmLabels(w.labels!) }, specTimes, () => 1);
    }
  }

  // and every pod's, as `pods=[*]` exports them (a pod carries its template's labels)
  if (!opts.omit?.includes("kube_pod_labels")) {
    family("kube_pod_labels");
    for (const r of rows) {
      if (!r.workload.labels) continue;
      yield* series("kube_pod_labels", { ...r.labels, ...ksmLabels(r.workload.labels) }, specTimes, () => 1);
    }
  }

  // kube-state-metrics: terminations, sampled at the memory step so every kill shows
  const killTimes = new Map<string, number[]>();
  const memTimes = grid(opts.terminationStep ?? opts.step);
  const kills = (r: PodRow, cName: string) => {
    const k = `${r.cluster.slug}/${r.pod.name}/${cName}`;
    let list = killTimes.get(k);
    if (!list) {
      const c = r.workload.containers.find((x) => x.name === cName)!;
      list = scenarioTerminations(fleetSpec(r.cluster.slug, r.workload, c, r.pod), opts.start - 7 * 86_400, opts.end).map((x) => x.at);
      killTimes.set(k, list);
    }
    return list;
  };
  /** index of the last kill at or before each sample time (-1: none yet) */
  const lastKillIndex = (list: number[]) => {
    const idx = new Int32Array(memTimes.length);
    let k = -1;
    for (let i = 0; i < memTimes.length; i++) {
      while (k + 1 < list.length && list[k + 1]! <= memTimes[i]!) k++;
      idx[i] = k;
    }
    return idx;
  };
  const termination: [string, (list: number[], idx: Int32Array, i: number) => number | null, Record<string, string>?][] = [
    ["kube_pod_container_status_last_terminated_timestamp", (list, idx, i) => (idx[i]! >= 0 ? list[idx[i]!]! : null)],
    ["kube_pod_container_status_last_terminated_reason", (_l, idx, i) => (idx[i]! >= 0 ? 1 : null), { reason: "OOMKilled" }],
    ["kube_pod_container_status_last_terminated_exitcode", (_l, idx, i) => (idx[i]! >= 0 ? 137 : null)],
    ["kube_pod_container_status_restarts_total", (_l, idx, i) => idx[i]! + 1],
  ];
  for (const [name, value, extra] of termination) {
    if (opts.omit?.includes(name)) continue;
    family(name, name.endsWith("_total") ? "unknown" : "gauge");
    for (const r of rows) {
      for (const c of r.workload.containers) {
        const list = kills(r, c.name);
        const idx = lastKillIndex(list);
        yield* series(name, { ...r.labels, container: c.name, ...(extra ?? {}) }, memTimes, (i) => value(list, idx, i));
      }
    }
  }
  if (format === "openmetrics") buf += "# EOF\n";
  yield buf;
  return samples;
}
