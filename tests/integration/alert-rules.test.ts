import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { promLabels } from "@/lib/metrics/promql";
import { alertRules, renderAlertRules } from "@/lib/notify/rules-export";
import { DEFAULT_ALERT_SETTINGS } from "@/lib/schemas/alerts";
import { prometheusAvailable } from "../support/prometheus";

const missing = prometheusAvailable();

/** `promtool check rules` on a rules file: its exit status and what it said. */
function checkRules(text: string): { status: number | null; out: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "headroom-rules-"));
  try {
    const file = path.join(dir, "rules.yaml");
    fs.writeFileSync(file, text);
    const r = spawnSync("promtool", ["check", "rules", file], { encoding: "utf8" });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(missing)("exported alert rules, checked by the real promtool", () => {
  const renamed = promLabels({ clusterLabel: "k8s_cluster", clusterValue: "prod-eu", cadvisor: { pod: "pod_name", container: "container_name" } });

  it("the plain rules file passes promtool check rules (standard and renamed labels)", () => {
    for (const labels of [promLabels(), renamed]) {
      const r = checkRules(renderAlertRules({ cluster: "prod-eu", labels, settings: DEFAULT_ALERT_SETTINGS, format: "rules" }));
      expect(r.out).toContain("SUCCESS: 3 rules found");
      expect(r.status).toBe(0);
    }
  });

  it("the PrometheusRule's spec passes promtool, and it is a monitoring.coreos.com/v1 PrometheusRule", () => {
    const doc = parse(renderAlertRules({ cluster: "Prod_EU", labels: renamed, settings: DEFAULT_ALERT_SETTINGS, format: "prometheusrule" })) as { apiVersion: string; kind: string; metadata: { name: string }; spec: unknown };
    expect(doc.apiVersion).toBe("monitoring.coreos.com/v1");
    expect(doc.kind).toBe("PrometheusRule");
    expect(doc.metadata.name).toMatch(/^[a-z0-9-]{1,63}$/);
    const r = checkRules(JSON.stringify(doc.spec));
    expect(r.out).toContain("SUCCESS: 3 rules found");
  });

  it("promtool refuses a broken rule (the check can fail)", () => {
    const rules = alertRules({ cluster: "x", labels: promLabels(), settings: DEFAULT_ALERT_SETTINGS });
    rules.groups[0]!.rules[0]!.expr = "container_memory_working_set_bytes{ >= 0.9";
    expect(checkRules(JSON.stringify(rules)).status).not.toBe(0);
  });
});

describe("exported alert rules", () => {
  it("carry the organization's levels and the cluster's label names", () => {
    const labels = promLabels({ clusterLabel: "k8s_cluster", clusterValue: "prod-eu", cadvisor: { pod: "pod_name", container: "container_name" } });
    const settings = { ...DEFAULT_ALERT_SETTINGS, sustainedPercent: 88, sustainedMinutes: 15, criticalPercent: 97, leakWithinHours: 12 };
    const [high, critical, leak] = alertRules({ cluster: "prod-eu", labels, settings }).groups[0]!.rules;
    expect(high!.alert).toBe("HighMemoryUsage");
    expect(high!.expr).toBe('(container_memory_working_set_bytes{container_name!="",container_name!="POD",k8s_cluster="prod-eu"} / (container_spec_memory_limit_bytes{container_name!="",container_name!="POD",k8s_cluster="prod-eu"} > 0)) >= 0.88');
    expect(high!.for).toBe("15m");
    expect(high!.annotations.summary).toContain("{{ $labels.pod_name }}");
    expect(critical!.expr).toMatch(/>= 0\.97$/);
    expect(leak!.expr).toMatch(/^predict_linear\(container_memory_working_set_bytes\{[^}]*k8s_cluster="prod-eu"\}\[6h\], 43200\) >= \(container_spec_memory_limit_bytes/);
  });

  it("the guide's defaults: 90% for 10m, a day's leak horizon", () => {
    const [high, , leak] = alertRules({ cluster: "c", labels: promLabels(), settings: DEFAULT_ALERT_SETTINGS }).groups[0]!.rules;
    expect(high!.expr).toMatch(/>= 0\.9$/);
    expect(high!.for).toBe("10m");
    expect(leak!.expr).toContain(", 86400)");
  });
});
