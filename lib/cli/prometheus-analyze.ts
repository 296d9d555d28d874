import fs from "node:fs";
import { AnalysisError, type AnalysisOutput } from "@/lib/analysis";
import { formatQuantity } from "@/lib/analysis/quantity";
import { PrometheusError } from "@/lib/metrics/prometheus-client";
import { analyzeDiscovered } from "@/lib/incidents/analyze";
import { coverageProblem, PrometheusSource } from "@/lib/metrics/prometheus-source";
import { isLabelName, type LabelNames } from "@/lib/metrics/promql";
import { policyFromEnv, type OutboundPolicy } from "@/lib/security/outbound";
import { skippedSentence, splitByValidNames } from "@/lib/inventory/valid-names";

/**
 * `analyze --prometheus URL …`: every container Prometheus knows of (or a namespace, a workload, a
 * container), analysed by the same engine, from cAdvisor and kube-state-metrics alone.
 */

export class UsageError extends Error {}

export interface PrometheusAnalyzeOptions {
  url: string;
  clusterLabel: string | null;
  cluster: string | null;
  /** renamed namespace, pod and container labels */
  labelNames: { cadvisor?: LabelNames; ksm?: LabelNames };
  namespace: string | null;
  workload: { kind: string; name: string } | null;
  container: string | null;
  windowSeconds: number;
  stepSeconds: number | null;
  format: "json" | "table";
  pricing: { currency: string; perGiBMonth: number } | null;
  bearerToken: string | null;
  basicAuth: { username: string; password: string } | null;
  headers: Record<string, string>;
  /** PEM of a private CA (--ca-file) */
  caPem: string | null;
  skipVerify: boolean;
  timeoutMs: number;
}

export const USAGE =
  "usage: npm run --silent analyze -- --prometheus URL [--cluster-label L --cluster C] [--cadvisor-labels NS,POD,CONTAINER] [--ksm-labels NS,POD,CONTAINER] [--namespace N] [--workload kind/name] [--container C] [--window 7d] [--step 60] [--format json|table] [--price-per-gib 3.2 --currency USD] [--bearer-token T | --basic-auth USER:PASSWORD] [--header 'Name: value'] [--ca-file ca.pem | --insecure-skip-verify] [--timeout 30]";

const KINDS: Record<string, string> = {
  deployment: "Deployment", statefulset: "StatefulSet", daemonset: "DaemonSet", cronjob: "CronJob", job: "Job", replicaset: "ReplicaSet", pod: "Pod",
};

/** Parses a duration like 30m, 24h, 7d, 2w into seconds. */
export function parseDuration(raw: string, flag: string): number {
  const m = /^(\d+)(m|h|d|w)$/.exec(raw.trim());
  if (!m) throw new UsageError(`${flag} must be a duration like 24h, 7d or 2w, got "${raw}"`);
  const seconds = Number(m[1]) * { m: 60, h: 3600, d: 86_400, w: 604_800 }[m[2] as "m" | "h" | "d" | "w"];
  if (seconds < 3600 || seconds > 90 * 86_400) throw new UsageError(`${flag} must be between 1h and 90d, got "${raw}"`);
  return seconds;
}

/** Three label names, namespace,pod,container (e.g. exported_namespace,exported_pod,exported_container). */
function parseLabelNames(raw: string, flag: string): LabelNames {
  const parts = raw.split(",").map((p) => p.trim());
  if (parts.length !== 3 || !parts.every(isLabelName)) {
    throw new UsageError(`${flag} must be three label names, namespace,pod,container (e.g. exported_namespace,exported_pod,exported_container), got "${raw}"`);
  }
  return { namespace: parts[0]!, pod: parts[1]!, container: parts[2]! };
}

/** Parses the command's arguments (after --prometheus is known to be present). */
export function parseArgs(argv: string[]): PrometheusAnalyzeOptions {
  const opts: PrometheusAnalyzeOptions = {
    url: "", clusterLabel: null, cluster: null, labelNames: {}, namespace: null, workload: null, container: null,
    windowSeconds: 7 * 86_400, stepSeconds: null, format: "json", pricing: null, bearerToken: null, basicAuth: null, headers: {}, caPem: null, skipVerify: false, timeoutMs: 30_000,
  };
  let price: number | null = null;
  let currency = "USD";
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--prometheus": opts.url = value(); break;
      case "--cluster-label": {
        const v = value();
        if (!isLabelName(v)) throw new UsageError(`--cluster-label must be a Prometheus label name (letters, digits, _), got "${v}"`);
        opts.clusterLabel = v;
        break;
      }
      case "--cluster": opts.cluster = value(); break;
      case "--cadvisor-labels": opts.labelNames.cadvisor = parseLabelNames(value(), flag); break;
      case "--ksm-labels": opts.labelNames.ksm = parseLabelNames(value(), flag); break;
      case "--namespace": case "-n": opts.namespace = value(); break;
      case "--container": case "-c": opts.container = value(); break;
      case "--window": opts.windowSeconds = parseDuration(value(), "--window"); break;
      case "--step": {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 1 || v > 3600) throw new UsageError("--step must be a whole number of seconds from 1 to 3600");
        opts.stepSeconds = v;
        break;
      }
      case "--format": {
        const v = value();
        if (v !== "json" && v !== "table") throw new UsageError(`--format must be json or table, got "${v}"`);
        opts.format = v;
        break;
      }
      case "--workload": {
        const v = value();
        const m = /^([a-zA-Z]+)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(v);
        const kind = m ? KINDS[m[1]!.toLowerCase()] : undefined;
        if (!m || !kind) throw new UsageError(`--workload must be kind/name (deployment/api, statefulset/db, cronjob/etl…), got "${v}"`);
        opts.workload = { kind, name: m[2]! };
        break;
      }
      case "--price-per-gib": {
        price = Number(value());
        if (!Number.isFinite(price) || price < 0) throw new UsageError("--price-per-gib must be a non-negative number (price of 1 GiB of memory per month)");
        break;
      }
      case "--currency": currency = value(); break;
      case "--bearer-token": opts.bearerToken = value(); break;
      case "--basic-auth": {
        const v = value();
        const at = v.indexOf(":");
        if (at <= 0) throw new UsageError(`--basic-auth must be USER:PASSWORD`);
        opts.basicAuth = { username: v.slice(0, at), password: v.slice(at + 1) };
        break;
      }
      case "--ca-file": {
        const file = value();
        let pem: string;
        try {
          pem = fs.readFileSync(file, "utf8");
        } catch (e) {
          throw new UsageError(`--ca-file: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
        if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new UsageError(`--ca-file: ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
        opts.caPem = pem;
        break;
      }
      case "--insecure-skip-verify": opts.skipVerify = true; break;
      case "--header": {
        const v = value();
        const at = v.indexOf(":");
        if (at <= 0) throw new UsageError(`--header must be "Name: value", got "${v}"`);
        opts.headers[v.slice(0, at).trim()] = v.slice(at + 1).trim();
        break;
      }
      case "--timeout": {
        const v = Number(value());
        if (!Number.isFinite(v) || v <= 0 || v > 600) throw new UsageError("--timeout must be a number of seconds up to 600");
        opts.timeoutMs = v * 1000;
        break;
      }
      default:
        throw new UsageError(`unknown option "${flag}"; ${USAGE}`);
    }
  }
  if (!opts.url) throw new UsageError(USAGE);
  if ((opts.clusterLabel === null) !== (opts.cluster === null)) throw new UsageError("--cluster-label and --cluster go together (a central Prometheus labels each cluster)");
  if (opts.bearerToken !== null && opts.basicAuth !== null) throw new UsageError("--bearer-token and --basic-auth are one or the other");
  if (opts.caPem !== null && opts.skipVerify) throw new UsageError("--ca-file and --insecure-skip-verify are one or the other");
  if (price !== null) opts.pricing = { currency, perGiBMonth: price };
  return opts;
}

export interface ContainerResult {
  cluster: string | null;
  namespace: string;
  workload: { kind: string; name: string; replicas: number };
  container: string;
  analysis: AnalysisOutput;
}

/** A container the engine gave no verdict for (impossible statistics), and why. */
export interface RefusedContainer {
  namespace: string;
  workload: string;
  container: string;
  error: string;
}

/** Runs the analysis; `now` is injectable for tests. Throws PrometheusError / UsageError with clear messages. */
export async function analyzeFromPrometheus(
  opts: PrometheusAnalyzeOptions,
  env: { now?: number; policy?: OutboundPolicy } = {},
): Promise<{ results: ContainerResult[]; refused: RefusedContainer[]; skipped: string | null; stats: { requests: number; bytes: number } }> {
  const now = env.now ?? Math.floor(Date.now() / 1000);
  const source = new PrometheusSource({
    url: opts.url,
    labels: { clusterLabel: opts.clusterLabel, clusterValue: opts.cluster, ...opts.labelNames },
    auth: opts.bearerToken ? { kind: "bearer", token: opts.bearerToken } : opts.basicAuth ? { kind: "basic", ...opts.basicAuth } : { kind: "none" },
    headers: opts.headers,
    caPem: opts.caPem,
    skipVerify: opts.skipVerify,
    timeoutMs: opts.timeoutMs,
    policy: env.policy ?? policyFromEnv(),
    minStepSeconds: opts.stepSeconds ?? 60,
  });
  const window = { start: now - opts.windowSeconds, end: now, stepSeconds: opts.stepSeconds ?? 60 };
  // an explicit --step also sets how finely terminations are told apart (kills closer than it merge)
  const all = await source.clusterHistory(window, { namespace: opts.namespace ?? undefined, terminationStep: opts.stepSeconds ?? undefined });
  if (all.length === 0) {
    const present = await source.client.query(`count(kube_pod_container_info)`, now).catch(() => []);
    throw new PrometheusError(
      "bad_response",
      source.client.url,
      present.length === 0
        ? "no kube-state-metrics series (kube_pod_container_info) found: install kube-state-metrics and make sure Prometheus scrapes it"
        : `no workloads match${opts.cluster ? ` cluster ${opts.clusterLabel}="${opts.cluster}"` : ""}${opts.namespace ? ` in namespace "${opts.namespace}"` : ""}`,
    );
  }
  const { valid: named, skipped } = splitByValidNames(all);
  const problem = coverageProblem(all, source.labels);
  if (problem) throw new PrometheusError("bad_response", source.client.url, problem);
  const chosen = named.filter(
    (x) =>
      (!opts.workload || (x.workload.kind === opts.workload.kind && x.workload.name === opts.workload.name)) &&
      (!opts.container || x.container.name === opts.container),
  );
  if (chosen.length === 0) {
    const what = [opts.workload ? `${opts.workload.kind.toLowerCase()}/${opts.workload.name}` : null, opts.container ? `container "${opts.container}"` : null].filter(Boolean).join(", ");
    throw new UsageError(`nothing matches ${what}; found: ${[...new Set(all.map((x) => `${x.workload.namespace}/${x.workload.kind.toLowerCase()}/${x.workload.name}`))].slice(0, 12).join(", ")}`);
  }
  const results: ContainerResult[] = [];
  const refused: RefusedContainer[] = [];
  for (const h of chosen) {
    const where = { cluster: opts.cluster, namespace: h.workload.namespace, workload: { kind: h.workload.kind, name: h.workload.name, replicas: h.workload.replicas }, container: h.container.name };
    try {
      results.push({ ...where, analysis: analyzeDiscovered(h, { now, cluster: opts.cluster, pricing: opts.pricing }) });
    } catch (e) {
      if (!(e instanceof AnalysisError)) throw e;
      refused.push({ namespace: where.namespace, workload: `${h.workload.kind.toLowerCase()}/${h.workload.name}`, container: where.container, error: e.message });
    }
  }
  return { results, refused, skipped: skippedSentence(skipped), stats: { requests: source.client.stats.requests, bytes: source.client.stats.bytes } };
}

/** One JSON object per line: the contract's output plus where the container lives. */
export function formatJson(results: ContainerResult[]): string {
  return results.map((r) => JSON.stringify({ cluster: r.cluster, namespace: r.namespace, workload: r.workload, container: r.container, ...r.analysis })).join("\n") + "\n";
}

const mib = (b: number | null | undefined) => (b === null || b === undefined ? "-" : formatQuantity(Math.ceil(b / 1048576) * 1048576));

/** A readable table, worst first. */
export function formatTable(results: ContainerResult[]): string {
  const order = { leak: 0, limit_too_low: 1, spike: 2, healthy: 3, insufficient_data: 4 } as const;
  const rows = [...results]
    .sort((a, b) => order[a.analysis.pattern] - order[b.analysis.pattern] || b.analysis.evidence.oomKills - a.analysis.evidence.oomKills)
    .map((r) => {
      const a = r.analysis;
      return [
        r.namespace,
        `${r.workload.kind.toLowerCase()}/${r.workload.name}`,
        r.container,
        a.pattern,
        `${Math.round(a.confidence * 100)}%`,
        String(a.evidence.oomKills),
        a.timeToOomHours === null ? "-" : `${a.timeToOomHours}h`,
        mib(a.stats.p95),
        `${a.recommendation ? `${mib(a.recommendation.requestBytes)}/${a.recommendation.limit}` : "-"}`,
      ];
    });
  const head = ["NAMESPACE", "WORKLOAD", "CONTAINER", "PATTERN", "CONF", "OOMS", "NEXT OOM", "P95", "REQ/LIMIT"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(head), ...rows.map(line)].join("\n") + "\n";
}
