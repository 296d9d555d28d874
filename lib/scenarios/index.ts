import { MODELS } from "./models";
import type { ScenarioSeries, ScenarioSpec, SeriesWindow, Termination } from "./types";

export * from "./types";
export { hashUnit, seedOf, stableUuid } from "./random";

/** Seconds of absent samples after a kill, while the container restarts. */
const RESTART_GAP_SECONDS = 45;
/** Longest warm-up a model looks back for after a kill. */
const LOOKBACK_SECONDS = 6 * 3600;

/** OOMKills the scenario implies in [start, end] (exit 137, reason OOMKilled). */
export function scenarioTerminations(spec: ScenarioSpec, start: number, end: number): Termination[] {
  return MODELS[spec.kind].kills(spec, start, end).map((at) => ({ at, reason: "OOMKilled", exitCode: 137 }));
}

/** Working set, RSS and cache of the scenario sampled every `stepSeconds` in [start, end], with its terminations. */
export function generateSeries(spec: ScenarioSpec, window: SeriesWindow): ScenarioSeries {
  const { start, end, stepSeconds } = window;
  if (!(stepSeconds > 0) || end < start) throw new Error("window: need start <= end and a positive step");
  const model = MODELS[spec.kind];
  const kills = model.kills(spec, start - LOOKBACK_SECONDS, end);
  const n = Math.floor((end - start) / stepSeconds) + 1;
  const t = new Float64Array(n);
  const ws = new Float64Array(n);
  const rss = new Float64Array(n);
  const cache = new Float64Array(n);
  const limit = spec.limitBytes;
  let k = 0;
  let count = 0;
  let lastKill = -Infinity;
  for (let i = 0; i < n; i++) {
    const at = start + i * stepSeconds;
    while (k < kills.length && kills[k]! <= at) lastKill = kills[k++]!;
    const sinceKill = at - lastKill;
    if (sinceKill < RESTART_GAP_SECONDS) continue; // the container is restarting: no sample
    // the kernel kills at the limit, so a sample never reaches it
    const value = Math.min(Math.max(0, model.fraction(spec, at, sinceKill)), 0.998) * limit;
    t[count] = at;
    ws[count] = Math.round(value);
    rss[count] = Math.round(value * 0.86);
    cache[count] = Math.round(value * 0.09 + limit * 0.05);
    count++;
  }
  return {
    t: t.slice(0, count),
    workingSet: ws.slice(0, count),
    rss: rss.slice(0, count),
    cache: cache.slice(0, count),
    terminations: scenarioTerminations(spec, start, end),
  };
}
