// npm run bench — throughput figures, printed, never asserted.
// Analysis: containers per second on one core (one Node.js thread), 30 days of history at 5-minute
// (8,640 points) and 1-minute (43,200 points) steps, over every scenario model.
// BENCH_ONLY=engine runs that part alone, BENCH_ONLY=peers the peer comparison (bench/peers.ts) alone,
// BENCH_ONLY=agent the in-cluster agent's figures (bench/agent.ts) alone, BENCH_ONLY=scale the pages at 100 clusters (bench/scale.ts) alone.
import { analyzeContainer, type ContainerInput } from "@/lib/analysis";
import type { PodArrays } from "@/lib/analysis/index";
import { generateSeries, SCENARIO_KINDS, type ScenarioKind } from "@/lib/scenarios";
import { benchPeers } from "./peers";
import { benchPrometheus } from "./prometheus";
import { benchAgent } from "./agent";
import { benchScale } from "./scale";

const Mi = 1024 * 1024;
const NOW = Date.UTC(2026, 10, 28) / 1000;
const WINDOW = 30 * 86_400;

function fixture(kind: ScenarioKind, seed: number, stepSeconds: number): { container: ContainerInput; pods: PodArrays[] } {
  const limitBytes = 512 * Mi;
  const s = generateSeries({ kind, seed, limitBytes }, { start: NOW - WINDOW, end: NOW, stepSeconds });
  return {
    container: { name: "app", image: "ghcr.io/acme/app:1.0", requestBytes: 384 * Mi, limitBytes, workload: { kind: "Deployment", name: `w-${kind}`, replicas: 3 } },
    pods: [{ name: `w-${kind}-${seed}`, t: s.t, workingSet: s.workingSet, terminations: s.terminations }],
  };
}

function measure(stepSeconds: number, goal: number) {
  const fixtures = SCENARIO_KINDS.flatMap((k) => [1, 2].map((seed) => fixture(k, seed, stepSeconds)));
  const points = fixtures[0]!.pods[0]!.t.length;
  // warm-up, so the figure is the JIT-compiled steady state
  for (let i = 0; i < 3; i++) for (const f of fixtures) analyzeContainer({ now: NOW, ...f });
  // five rounds of a second each; the median round is the figure (a shared 2-core VM is noisy)
  const perKind = new Map<string, number>();
  const rates: number[] = [];
  let n = 0;
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    let done = 0;
    let seconds = 0;
    while (seconds < 1) {
      for (const f of fixtures) {
        const t0 = process.hrtime.bigint();
        analyzeContainer({ now: NOW, ...f });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const kind = (f.container.workload?.name ?? "").slice(2);
        perKind.set(kind, (perKind.get(kind) ?? 0) + ms);
        done++;
      }
      seconds = Number(process.hrtime.bigint() - started) / 1e9;
    }
    rates.push(done / seconds);
    n += done;
  }
  const rate = [...rates].sort((a, b) => a - b)[2]!;
  console.log(`\n30 days at ${stepSeconds / 60}-minute steps (${points.toLocaleString("en-US")} points per container)`);
  console.log(`  ${rate.toFixed(0).padStart(6)} containers/s on one core (median of 5 rounds; range ${Math.min(...rates).toFixed(0)}–${Math.max(...rates).toFixed(0)})   goal ${goal}/s   ratio ${(rate / goal).toFixed(2)}x`);
  const rounds = n / fixtures.length;
  for (const [kind, ms] of perKind) console.log(`    ${kind.padEnd(18)} ${(ms / (rounds * 2)).toFixed(3)} ms per container`);
  return rate;
}

const only = process.env.BENCH_ONLY;
console.log(`Headroom bench · Node ${process.version} · ${process.arch}`);
if (only !== "peers" && only !== "agent" && only !== "scale") {
  console.log("Analysis engine (lib/analysis), one thread:");
  measure(300, 2000);
  measure(60, 400);
}
if (!only || only === "peers") await benchPeers();
if (only !== "engine" && only !== "peers" && only !== "agent" && only !== "scale") await benchPrometheus();
if (!only || only === "agent") await benchAgent();
if (!only || only === "scale") await benchScale();
