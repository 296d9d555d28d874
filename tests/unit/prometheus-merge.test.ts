import { describe, expect, it } from "vitest";
import { ksmLabelKey, labelValue } from "@/lib/kube/labels";
import { mergeByContainer, workloadLabels } from "@/lib/metrics/prometheus-source";
import { memoryRange, promLabels, stepFor, workingSetQuantiles } from "@/lib/metrics/promql";

const series = (metric: Record<string, string>, t: number[], v: number[]) => ({ metric, t: Float64Array.from(t), v: Float64Array.from(v) });

describe("PromQL and merging of Prometheus answers", () => {
  it("merges duplicate series of one container (two scrape jobs) by their maximum at each step", () => {
    const merged = mergeByContainer([
      series({ namespace: "a", pod: "p", container: "c", instance: "node-1" }, [60, 120, 180], [10, 50, 30]),
      series({ namespace: "a", pod: "p", container: "c", instance: "node-2" }, [120, 180, 240], [40, 35, 20]),
      series({ namespace: "a", pod: "q", container: "c" }, [60], [7]),
    ]);
    expect(merged).toHaveLength(2);
    const p = merged.find((s) => s.metric.pod === "p")!;
    expect(p.metric).toEqual({ namespace: "a", pod: "p", container: "c" });
    expect(Array.from(p.t)).toEqual([60, 120, 180, 240]);
    expect(Array.from(p.v)).toEqual([10, 50, 35, 20]);
  });

  it("keeps range queries under Prometheus's 11,000-point limit and scopes by cluster label", () => {
    expect(stepFor(0, 14 * 86_400, 60)).toBe(110);
    expect(stepFor(0, 86_400, 60)).toBe(60);
    const labels = promLabels({ clusterLabel: "cluster", clusterValue: 'eu"1' });
    expect(memoryRange("working_set", labels, { namespace: "pay", pods: ["a.1", "b"], container: "api" }, 300)).toBe(
      'max_over_time(container_memory_working_set_bytes{namespace="pay",pod=~"a\\\\.1|b",container="api",container!="",container!="POD",cluster="eu\\"1"}[299s])',
    );
    // one subquery pinned at the end, φ following the three steps: p50, p95, p99 in one pass
    expect(workingSetQuantiles(promLabels(), { namespace: "pay" }, 86_400, 300, 1000)).toEqual({
      query: 'max by (namespace, pod, container) (quantile_over_time((time() == bool 998) * 0.5 + (time() == bool 999) * 0.95 + (time() == bool 1000) * 0.99, container_memory_working_set_bytes{namespace="pay",container!="",container!="POD"}[86399500ms:300s] @ 1000))',
      start: 998, end: 1000, step: 1,
    });
  });

  it("matches renamed labels and answers under the standard names", () => {
    const labels = promLabels({ cadvisor: { pod: "pod_name", container: "container_name" }, ksm: { namespace: "exported_namespace" } });
    const q = memoryRange("working_set", labels, { namespace: "pay", pods: ["a"], container: "api" }, 300);
    expect(q).toBe(
      'label_replace(label_replace(max_over_time(container_memory_working_set_bytes{namespace="pay",pod_name="a",container_name="api",container_name!="",container_name!="POD"}[299s]), "pod", "$1", "pod_name", "(.*)"), "container", "$1", "container_name", "(.*)")',
    );
    expect(() => promLabels({ ksm: { pod: "exported-pod" } })).toThrow(/not a valid Prometheus label name/);
    expect(promLabels({ cadvisor: { pod: "" } }).cadvisor.pod).toBe("pod");
  });
});

describe("workload labels from kube-state-metrics' kube_*_labels", () => {
  const ksm = promLabels().ksm;
  it("reads each object's label_ labels under its kind, a bare pod's from kube_pod_labels, and merges a changed object's series", () => {
    const labels = workloadLabels(
      [
        { __name__: "kube_deployment_labels", namespace: "payments", deployment: "api", label_team: "payments", label_app_kubernetes_io_part_of: "shop", job: "kube-state-metrics", instance: "10.0.0.1:8080" },
        { __name__: "kube_statefulset_labels", namespace: "payments", statefulset: "api", label_team: "db" },
        { __name__: "kube_job_labels", namespace: "batch", job_name: "nightly-29000000", label_team: "data" },
        { __name__: "kube_pod_labels", namespace: "default", pod: "debug", label_owner: "alice" },
        // one object in two series (a second scrape job relabelled): merged; an empty value is no label
        { __name__: "kube_daemonset_labels", namespace: "kube-system", daemonset: "agent", label_team: "platform" },
        { __name__: "kube_daemonset_labels", namespace: "kube-system", daemonset: "agent", label_tier: "node", label_empty: "" },
        // a series without labels (no allowlist, or none of its keys set): unknown, so stored labels stand
        { __name__: "kube_cronjob_labels", namespace: "batch", cronjob: "nightly" },
        { __name__: "kube_cronjob_labels", namespace: "batch", cronjob: "weekly", label_team: "" },
        // not a labels metric, or without the object's name: ignored
        { __name__: "kube_pod_owner", namespace: "payments", pod: "api-1", label_team: "x" },
        { __name__: "kube_deployment_labels", namespace: "payments", label_team: "nameless" },
      ],
      ksm,
    );
    const at = (...k: string[]) => labels.get(k.join("\u0000"));
    expect(at("payments", "Deployment", "api")).toEqual({ team: "payments", app_kubernetes_io_part_of: "shop" });
    expect(at("payments", "StatefulSet", "api")).toEqual({ team: "db" });
    expect(at("batch", "Job", "nightly-29000000")).toEqual({ team: "data" });
    expect(at("default", "Pod", "debug")).toEqual({ owner: "alice" });
    expect(at("kube-system", "DaemonSet", "agent")).toEqual({ team: "platform", tier: "node" });
    expect(labels.size).toBe(5);
  });

  it("keeps what the inventory keeps of any source: valid keys and values, at most 64", () => {
    const many = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`label_k${String(i).padStart(2, "0")}`, "v"]));
    const [only] = workloadLabels([{ __name__: "kube_deployment_labels", namespace: "a", deployment: "d", ...many, label_bad: "x".repeat(64), label_ok: "fine" }], ksm).values();
    expect(Object.keys(only!)).toHaveLength(64);
    expect(only!.bad).toBeUndefined();
  });

  it("reads the namespace and pod under their relabelled names", () => {
    const renamed = promLabels({ ksm: { namespace: "exported_namespace", pod: "exported_pod" } }).ksm;
    const labels = workloadLabels([{ __name__: "kube_pod_labels", namespace: "monitoring", exported_namespace: "web", exported_pod: "p", pod: "ksm-0", label_team: "web" }], renamed);
    expect([...labels]).toEqual([["web\u0000Pod\u0000p", { team: "web" }]]);
  });

  it("writes a Kubernetes label key as kube-state-metrics names it, and the cost page finds it by either", () => {
    // kube-state-metrics' rule: invalid characters to _, then camelCase to snake_case, lower-cased
    expect(ksmLabelKey("app.kubernetes.io/part-of")).toBe("app_kubernetes_io_part_of");
    expect(ksmLabelKey("team")).toBe("team");
    expect(ksmLabelKey("costCenter")).toBe("cost_center");
    expect(ksmLabelKey("Team")).toBe("team");
    expect(ksmLabelKey("example.com/businessUnit")).toBe("example_com_business_unit");
    expect(ksmLabelKey("HTTPPort")).toBe("httpport");
    expect(labelValue({ app_kubernetes_io_part_of: "shop" }, "app.kubernetes.io/part-of")).toBe("shop");
    expect(labelValue({ cost_center: "cc-7" }, "costCenter")).toBe("cc-7");
    // and the other way: the API's key found by kube-state-metrics' spelling
    expect(labelValue({ "app.kubernetes.io/part-of": "shop" }, "app_kubernetes_io_part_of")).toBe("shop");
    expect(labelValue({ "app.kubernetes.io/part-of": "as-written", app_kubernetes_io_part_of: "ksm" }, "app.kubernetes.io/part-of")).toBe("as-written");
    expect(labelValue({ team: "a" }, "owner")).toBeNull();
    expect(labelValue(null, "team")).toBeNull();
    // only the workload's own labels: never an object's inherited members
    expect(labelValue({ team: "a" }, "constructor")).toBeNull();
    expect(labelValue({ team: "a" }, "toString")).toBeNull();
  });
});
