export const SCENARIO_KINDS = [
  "fast_leak",
  "slow_leak",
  "limit_too_low",
  "load_spikes",
  "healthy",
  "over_provisioned",
  "daily_seasonality",
  "batch_peaks",
  "jvm_xmx",
] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

/** One simulated container in one pod: what it runs and how its memory behaves. */
export interface ScenarioSpec {
  kind: ScenarioKind;
  /** Distinguishes pods and containers running the same scenario. */
  seed: number;
  /** The limit the behaviour is modelled against (the container's memory limit). */
  limitBytes: number;
  /** Restart cycle length for leaks, in hours (defaults per kind). */
  cycleHours?: number;
  /** batch_peaks: hours from one run's start to the next (6 by default; 24 for a nightly job). */
  periodHours?: number;
}

export interface Termination {
  /** unix seconds */
  at: number;
  reason: "OOMKilled" | "Error" | "Completed";
  exitCode: number;
}

export interface ScenarioSeries {
  /** sample times, unix seconds, ascending; restarts leave gaps */
  t: Float64Array;
  workingSet: Float64Array;
  rss: Float64Array;
  cache: Float64Array;
  terminations: Termination[];
}

export interface SeriesWindow {
  start: number;
  end: number;
  stepSeconds: number;
}
