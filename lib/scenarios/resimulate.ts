import { demandOf, type DemandOptions } from "./models";
import type { ScenarioSpec, SeriesWindow } from "./types";

/** Seconds a container is down after a kill before it runs again (as generateSeries leaves a gap). */
const RESTART_GAP_SECONDS = 45;
/** kubelet's CrashLoopBackOff: 10 s doubling to 5 minutes, reset once a container has run 10 minutes. */
const BACKOFF_FIRST_SECONDS = 10;
const BACKOFF_MAX_SECONDS = 300;
const BACKOFF_RESET_SECONDS = 600;

export interface ResimulateOptions extends DemandOptions {
  /** when the container last started before `window.start`; default `window.start` (the rollout that applies a new limit) */
  startedAt?: number;
}

/**
 * The OOMKill times (unix seconds) of one scenario container whose demand runs against `limitBytes`
 * instead of the limit its model was written for (null: no limit, never killed). The demand is the
 * model's own (`demandOf`), sampled every `window.stepSeconds`; a kill restarts the container, with
 * kubelet's back-off when kills follow each other.
 */
export function simulateOomKills(spec: ScenarioSpec, limitBytes: number | null, window: SeriesWindow, opts: ResimulateOptions = {}): number[] {
  if (!(window.stepSeconds > 0) || window.end < window.start) throw new Error("window: need start <= end and a positive step");
  if (limitBytes === null) return [];
  const demand = demandOf(spec.kind, opts);
  const threshold = limitBytes / spec.limitBytes;
  const kills: number[] = [];
  let startedAt = opts.startedAt ?? window.start;
  let downUntil = -Infinity;
  let inARow = 0;
  for (let t = window.start; t <= window.end; t += window.stepSeconds) {
    if (t < downUntil) continue;
    if (demand(spec, t, t - startedAt) < threshold) continue;
    kills.push(t);
    inARow = t - startedAt < BACKOFF_RESET_SECONDS ? inARow + 1 : 1;
    const down = inARow <= 1 ? RESTART_GAP_SECONDS : Math.min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** (inARow - 1));
    downUntil = t + down;
    startedAt = downUntil;
  }
  return kills;
}
