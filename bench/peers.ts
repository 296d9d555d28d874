// Peers, side by side: on the scenario fleet, each container's limit from Headroom, krr and VPA (and
// today's), computed from the 30 days before `NOW`, then the same demand re-simulated against each of
// them over the 30 days after `NOW` (data no recommendation saw): OOMKills caused and memory reserved.
// `npx tsx bench/peers.ts` or `BENCH_ONLY=peers npx tsx bench/run.ts`. Printed, never asserted.
import { pathToFileURL } from "node:url";
import { analyzeInput } from "@/lib/analysis";
import { ANALYSIS_STEP_SECONDS, ANALYSIS_WINDOW_SECONDS } from "@/lib/incidents/analyze";
import { scenarioTerminations, type ScenarioKind } from "@/lib/scenarios";
import { demoAnalysisInput } from "@/lib/scenarios/analysis-input";
import { DEMO_FLEET, fleetPods, fleetSpec, mebibytes } from "@/lib/scenarios/demo-fleet";
import { simulateOomKills } from "@/lib/scenarios/resimulate";
import { krrMemory, vpaPeaks, vpaTarget, type MemoryPeak } from "./peer-formulas";

const Mi = 1024 * 1024;
const Gi = 1024 * Mi;
const NOW = Date.UTC(2026, 10, 28) / 1000;
/** the period each limit is judged on: the 30 days after the history it was computed from */
const FUTURE_SECONDS = 30 * 86_400;
/** demand sampling for the re-simulation; spikes last 4 minutes and bursts hold their peak 2 */
const SIM_STEP_SECONDS = 30;

const STRATEGIES = ["today", "headroom", "krr", "vpa", "vpaApplied"] as const;
type Strategy = (typeof STRATEGIES)[number];
const LABEL: Record<Strategy, string> = {
  today: "today's limits",
  headroom: "Headroom",
  krr: "krr simple (max x 1.15)",
  vpa: "VPA target as limit",
  vpaApplied: "VPA as applied",
};

interface Sizing {
  requestBytes: number | null;
  limitBytes: number | null;
}

interface ContainerResult {
  name: string;
  scenario: ScenarioKind;
  pattern: string;
  replicas: number;
  sizing: Record<Strategy, Sizing>;
  kills: Record<Strategy, number>;
  /** the model's own OOMKills in the future period, to check the re-simulation at today's limit */
  modelKills: number;
}

/** Kubernetes defaults a missing request to the limit. */
const effectiveRequest = (s: Sizing) => s.requestBytes ?? s.limitBytes ?? 0;
const mi = (b: number | null) => (b === null ? "none" : `${Math.round(b / Mi)}Mi`);

function evaluateFleet(opts: { burstOvershoot?: number; only?: ScenarioKind[] } = {}): ContainerResult[] {
  const results: ContainerResult[] = [];
  const days = ANALYSIS_WINDOW_SECONDS / 86_400;
  for (const cluster of DEMO_FLEET) {
    for (const w of cluster.workloads) {
      const c = w.containers[0]!;
      if (opts.only && !opts.only.includes(c.scenario)) continue;
      const input = demoAnalysisInput(cluster.slug, w.name, NOW, { days, step: ANALYSIS_STEP_SECONDS });
      const verdict = analyzeInput(input);
      const today: Sizing = { requestBytes: mebibytes(c.requestMi), limitBytes: mebibytes(c.limitMi) };
      const rec = verdict.recommendation;
      const headroom: Sizing = rec ? { requestBytes: rec.requestBytes, limitBytes: rec.limitBytes } : today;

      const pods = input.pods!;
      const krr = krrMemory(pods.map((p) => p.series.workingSet.reduce((m, [, v]) => Math.max(m, v), 0)));
      const peaks: MemoryPeak[] = pods.flatMap((p) =>
        vpaPeaks(
          p.series.workingSet.map(([t]) => t),
          p.series.workingSet.map(([, v]) => v),
          (p.terminations ?? []).filter((x) => x.reason === "OOMKilled").map((x) => x.at),
          effectiveRequest(today),
        ),
      );
      const target = vpaTarget(peaks);
      const ratio = today.limitBytes === null ? null : today.limitBytes / effectiveRequest(today);
      const sizing: Record<Strategy, Sizing> = {
        today,
        headroom,
        krr: krr ?? today,
        vpa: { requestBytes: target, limitBytes: target },
        vpaApplied: { requestBytes: target, limitBytes: ratio === null ? null : Math.round(target * ratio) },
      };

      const kills = Object.fromEntries(STRATEGIES.map((s) => [s, 0])) as Record<Strategy, number>;
      let modelKills = 0;
      const future = { start: NOW, end: NOW + FUTURE_SECONDS, stepSeconds: SIM_STEP_SECONDS };
      for (const pod of fleetPods(cluster.slug, w)) {
        const spec = fleetSpec(cluster.slug, w, c, pod);
        modelKills += scenarioTerminations(spec, future.start + 1, future.end).length;
        // an unchanged limit needs no rollout, so the container carries on from its last start
        const past = scenarioTerminations(spec, NOW - ANALYSIS_WINDOW_SECONDS, NOW);
        const lastStart = past.length ? past[past.length - 1]!.at : NOW - ANALYSIS_WINDOW_SECONDS;
        const byLimit = new Map<number | null, number>();
        for (const s of STRATEGIES) {
          const limit = sizing[s].limitBytes;
          if (!byLimit.has(limit)) {
            const startedAt = limit === today.limitBytes ? lastStart : NOW;
            byLimit.set(limit, simulateOomKills(spec, limit, future, { startedAt, burstOvershoot: opts.burstOvershoot }).length);
          }
          kills[s] += byLimit.get(limit)!;
        }
      }
      results.push({ name: `${cluster.slug}/${w.name}`, scenario: c.scenario, pattern: verdict.pattern, replicas: w.replicas, sizing, kills, modelKills });
    }
  }
  return results;
}

const LEAKS: ScenarioKind[] = ["fast_leak", "slow_leak"];

interface Totals {
  kills: number;
  /** kills of containers that are not leaking: a leak is killed at any limit until it is fixed */
  killsNoLeak: number;
  limitGiB: number;
  requestGiB: number;
}

function totals(results: ContainerResult[], s: Strategy): Totals {
  let kills = 0;
  let killsNoLeak = 0;
  let limit = 0;
  let request = 0;
  for (const r of results) {
    kills += r.kills[s];
    if (!LEAKS.includes(r.scenario)) killsNoLeak += r.kills[s];
    limit += (r.sizing[s].limitBytes ?? 0) * r.replicas;
    request += effectiveRequest(r.sizing[s]) * r.replicas;
  }
  return { kills, killsNoLeak, limitGiB: limit / Gi, requestGiB: request / Gi };
}

const pad = (v: string | number, n: number) => String(v).padStart(n);

export async function benchPeers() {
  const started = process.hrtime.bigint();
  const results = evaluateFleet();
  const pods = results.reduce((n, r) => n + r.replicas, 0);
  console.log(`\nPeers, side by side: the scenario fleet (${DEMO_FLEET.length} clusters, ${results.length} containers, ${pods} pods)`);
  console.log(`  limits computed from the ${ANALYSIS_WINDOW_SECONDS / 86_400} days before now (${ANALYSIS_STEP_SECONDS / 60}-minute steps, as the demo analyses),`);
  console.log(`  judged on the next ${FUTURE_SECONDS / 86_400} days of the same models (unseen data), demand sampled every ${SIM_STEP_SECONDS} s`);
  const t = Object.fromEntries(STRATEGIES.map((s) => [s, totals(results, s)])) as Record<Strategy, Totals>;
  console.log(`\n  ${"strategy".padEnd(26)} ${pad("OOMKills/30d", 12)} ${pad("not leaks", 10)} ${pad("limits GiB", 11)} ${pad("requests GiB", 13)}`);
  for (const s of STRATEGIES) {
    const x = t[s];
    console.log(`  ${LABEL[s].padEnd(26)} ${pad(x.kills, 12)} ${pad(x.killsNoLeak, 10)} ${pad(x.limitGiB.toFixed(1), 11)} ${pad(x.requestGiB.toFixed(1), 13)}`);
  }

  const kinds = [...new Set(results.map((r) => r.scenario))];
  console.log(`\n  OOMKills by scenario ${pad("pods", 5)} ${STRATEGIES.map((s) => pad(s, 11)).join("")}`);
  for (const kind of kinds) {
    const rs = results.filter((r) => r.scenario === kind);
    const n = rs.reduce((a, r) => a + r.replicas, 0);
    console.log(`  ${kind.padEnd(20)} ${pad(n, 5)} ${STRATEGIES.map((s) => pad(rs.reduce((a, r) => a + r.kills[s], 0), 11)).join("")}`);
  }

  const model = results.reduce((a, r) => a + r.modelKills, 0);
  console.log(`\n  check: at today's limits the re-simulation gives ${t.today.kills} kills, the models themselves ${model}`);

  const h = t.headroom;
  const fewer = h.kills < t.krr.kills;
  const noMore = h.limitGiB <= t.today.limitGiB;
  console.log(
    `  goal: Headroom ${h.kills} kills vs krr ${t.krr.kills} (${fewer ? "fewer" : `NOT fewer: ${h.kills - t.krr.kills} more`}; not leaking ${h.killsNoLeak} vs ${t.krr.killsNoLeak}); ` +
      `limits ${h.limitGiB.toFixed(1)} GiB vs today's ${t.today.limitGiB.toFixed(1)} GiB (${noMore ? "no more" : `NOT met: ${(h.limitGiB - t.today.limitGiB).toFixed(1)} GiB more`})`,
  );

  // the containers that decide the goal: Headroom kills more than krr, or reserves more than today
  const notable = results.filter((r) => r.kills.headroom > r.kills.krr || (r.sizing.headroom.limitBytes ?? 0) > (r.sizing.today.limitBytes ?? 0));
  if (notable.length && (!fewer || !noMore || process.env.PEERS_DETAIL)) {
    console.log(`\n  where Headroom kills more than krr or reserves more than today (limit per pod / kills over all pods):`);
    for (const r of notable) {
      const cells = STRATEGIES.map((s) => `${s} ${mi(r.sizing[s].limitBytes)}/${r.kills[s]}`).join("  ");
      console.log(`    ${r.name.padEnd(32)} ${r.scenario.padEnd(17)} (verdict ${r.pattern}) x${r.replicas}  ${cells}`);
    }
  }

  // limit_too_low bursts end in a kill, so how far past the limit they would go is an assumption: vary it
  const lowKinds: ScenarioKind[] = ["limit_too_low"];
  const line = (o: number) => {
    const rs = evaluateFleet({ burstOvershoot: o, only: lowKinds });
    return `${Math.round(o * 100)}%: ${STRATEGIES.map((s) => `${s} ${rs.reduce((a, r) => a + r.kills[s], 0)}`).join(", ")}`;
  };
  console.log(`\n  limit_too_low kills if bursts would overshoot the limit by up to (default 20%):`);
  for (const o of [0.1, 0.3, 0.5]) console.log(`    ${line(o)}`);
  console.log(`  (${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchPeers();
