import { describe, expect, it } from "vitest";
import { mergeByContainer } from "@/lib/metrics/prometheus-source";
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
      query: 'max by (namespace, pod, container) (quantile_over_time((time() == bool 998) * 0.5 + (time() == bool 999) * 0.95 + (time() == bool 1000) * 0.99, container_memory_working_set_bytes{namespace="pay",container!="",container!="POD"}[86400s:300s] @ 1000))',
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
