import { fleetPods, fleetSpec, DEMO_FLEET } from "@/lib/scenarios/demo-fleet";
import { generateSeries } from "@/lib/scenarios";
import type { AnalysisInput } from "@/lib/analysis";

/** An `analyze` contract input for one demo workload container, from the same scenario models as the demo. */
export function demoAnalysisInput(cluster: string, workload: string, now: number, opts: { days?: number; step?: number; perPod?: boolean } = {}): AnalysisInput {
  const fc = DEMO_FLEET.find((c) => c.slug === cluster)!;
  const fw = fc.workloads.find((w) => w.name === workload)!;
  const cont = fw.containers[0]!;
  const window = { start: now - (opts.days ?? 7) * 86_400, end: now, stepSeconds: opts.step ?? 300 };
  const pods = fleetPods(cluster, fw).map((p) => {
    const s = generateSeries(fleetSpec(cluster, fw, cont, p), window);
    return { name: p.name, series: { workingSet: Array.from(s.t, (t, i) => [t, s.workingSet[i]!] as [number, number]) }, terminations: s.terminations };
  });
  const Mi = 1024 * 1024;
  return {
    now,
    container: {
      cluster, namespace: fw.namespace, workload: { kind: fw.kind, name: fw.name, replicas: fw.replicas }, pod: pods[0]!.name,
      name: cont.name, image: cont.image, command: cont.command ?? null, env: cont.env ?? null,
      requestBytes: cont.requestMi === null ? null : cont.requestMi * Mi, limitBytes: cont.limitMi === null ? null : cont.limitMi * Mi,
    },
    ...(opts.perPod === false ? { series: pods[0]!.series, terminations: pods[0]!.terminations } : { pods }),
    pricing: { currency: "USD", perGiBMonth: fc.pricePerGibMonth },
  };
}
