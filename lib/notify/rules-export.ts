import { stringify } from "yaml";
import { assertLabelName, realContainer, selector, type PromLabels } from "@/lib/metrics/promql";
import type { AlertSettings } from "@/lib/schemas/alerts";

export type RulesFormat = "prometheusrule" | "rules";

/** The window predict_linear fits the leak's slope over: long enough to ride out GC sawtooth, short enough to follow a restart. */
const LEAK_FIT_WINDOW = "6h";

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * Alerting rules for one cluster, in the organization's levels and the cluster's label names: the
 * domain guide's HighMemoryUsage (working set ≥ sustainedPercent of the limit for sustainedMinutes),
 * a critical level, and a leak rule (predict_linear of the working set reaching the limit within
 * leakWithinHours). Working set and limit are both cAdvisor series (container_spec_memory_limit_bytes,
 * 0 without a limit, so left out), which match label for label.
 */
export function alertRules(q: { cluster: string; labels: PromLabels; settings: AlertSettings }): { groups: { name: string; rules: Rule[] }[] } {
  const names = q.labels.cadvisor;
  for (const n of Object.values(names)) assertLabelName(n);
  const sel = selector(q.labels, realContainer(names));
  const ws = `container_memory_working_set_bytes${sel}`;
  const limit = `(container_spec_memory_limit_bytes${sel} > 0)`;
  const who = `{{ $labels.${names.namespace} }}/{{ $labels.${names.pod} }} ({{ $labels.${names.container} }})`;
  const common = { headroom_cluster: q.cluster };
  const s = q.settings;
  const ratio = (p: number) => String(p / 100);
  return {
    groups: [
      {
        name: `headroom-memory-${q.cluster}`,
        rules: [
          {
            alert: "HighMemoryUsage",
            expr: `(${ws} / ${limit}) >= ${ratio(s.sustainedPercent)}`,
            for: `${s.sustainedMinutes}m`,
            labels: { severity: "warning", ...common },
            annotations: {
              summary: `Pod {{ $labels.${names.pod} }} using {{ $value | humanizePercentage }} of memory limit`,
              description: `${who} has used at least ${s.sustainedPercent}% of its memory limit for ${s.sustainedMinutes} minutes; the working set is what the OOM killer counts.`,
            },
          },
          {
            alert: "HeadroomMemoryCritical",
            expr: `(${ws} / ${limit}) >= ${ratio(s.criticalPercent)}`,
            for: "2m",
            labels: { severity: "critical", ...common },
            annotations: {
              summary: `Pod {{ $labels.${names.pod} }} at {{ $value | humanizePercentage }} of its memory limit: OOMKill imminent`,
              description: `${who} is at or above ${s.criticalPercent}% of its memory limit.`,
            },
          },
          {
            alert: "HeadroomMemoryLeak",
            expr: `predict_linear(${ws}[${LEAK_FIT_WINDOW}], ${s.leakWithinHours * 3600}) >= ${limit}`,
            for: "30m",
            labels: { severity: "warning", ...common },
            annotations: {
              summary: `Pod {{ $labels.${names.pod} }} is projected to reach its memory limit within ${s.leakWithinHours} h`,
              description: `The working set of ${who}, extrapolated from the last ${LEAK_FIT_WINDOW}, reaches the memory limit within ${s.leakWithinHours} hours: a probable leak, next OOMKill on its way.`,
            },
          },
        ],
      },
    ],
  };
}

/** A Kubernetes resource name from a cluster slug (lower case, [a-z0-9-], at most 63 characters). */
const resourceName = (slug: string) => `headroom-memory-${slug.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}`.slice(0, 63).replace(/-+$/, "");

/** The rules as YAML: a prometheus-operator PrometheusRule, or a plain rules file for rule_files. */
export function renderAlertRules(q: { cluster: string; labels: PromLabels; settings: AlertSettings; format: RulesFormat }): string {
  const rules = alertRules(q);
  const header = `# Headroom memory alerts for cluster ${q.cluster}: warning at ${q.settings.sustainedPercent}% of the limit for ${q.settings.sustainedMinutes}m, critical at ${q.settings.criticalPercent}%, leaks reaching the limit within ${q.settings.leakWithinHours}h\n`;
  if (q.format === "rules") return header + stringify(rules, { lineWidth: 0 });
  const resource = {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: resourceName(q.cluster), labels: { "app.kubernetes.io/name": "headroom", "app.kubernetes.io/component": "memory-alerts" } },
    spec: rules,
  };
  return header + stringify(resource, { lineWidth: 0 });
}
