import { hashSigned, hashUnit } from "./random";
import type { ScenarioKind, ScenarioSpec } from "./types";

const HOUR = 3600;
const DAY = 86_400;

/**
 * A memory model: when the container gets OOMKilled, and its working set as a fraction of the
 * limit at time t. Both are pure functions of absolute time, so every window agrees with every other.
 */
interface Model {
  kills(spec: ScenarioSpec, from: number, to: number): number[];
  /** working set / limit at t; `sinceKill` is the seconds since the latest kill before t (Infinity if none) */
  fraction(spec: ScenarioSpec, t: number, sinceKill: number): number;
}

const noise = (spec: ScenarioSpec, t: number, amplitude: number) => amplitude * hashSigned(spec.seed, Math.floor(t / 15));
/** GC-like sawtooth: allocations climb, a collection drops them, every `periodSeconds`. */
const gcSawtooth = (spec: ScenarioSpec, t: number, amplitude: number, periodSeconds = 600) =>
  amplitude * ((((t + (spec.seed % periodSeconds)) % periodSeconds) / periodSeconds) - 0.5);

function periodicKills(offset: number, period: number, from: number, to: number): number[] {
  const out: number[] = [];
  for (let k = Math.ceil((from - offset) / period); offset + k * period <= to; k++) {
    const at = offset + k * period;
    if (at >= from) out.push(Math.round(at));
  }
  return out;
}

/** Events drawn per fixed slot of time: slot s fires when its hash is under `probability`. */
function slotEvents(spec: ScenarioSpec, salt: number, slotSeconds: number, probability: number, from: number, to: number) {
  const out: { slot: number; at: number; size: number }[] = [];
  for (let s = Math.floor(from / slotSeconds) - 1; s * slotSeconds <= to; s++) {
    if (hashUnit(spec.seed, s, salt) >= probability) continue;
    const at = s * slotSeconds + Math.floor(hashUnit(spec.seed, s, salt + 1) * slotSeconds * 0.9);
    out.push({ slot: s, at, size: hashUnit(spec.seed, s, salt + 2) });
  }
  return out;
}

function leakModel(defaultCycleHours: number, base: number): Model {
  const cycle = (spec: ScenarioSpec) => (spec.cycleHours ?? defaultCycleHours) * HOUR;
  const offset = (spec: ScenarioSpec) => hashUnit(spec.seed, 1) * cycle(spec);
  return {
    kills: (spec, from, to) => periodicKills(offset(spec), cycle(spec), from, to),
    fraction(spec, t) {
      const p = cycle(spec);
      const phase = ((((t - offset(spec)) % p) + p) % p) / p;
      // linear growth from `base` to the limit over one cycle, under a GC sawtooth
      return base + (0.995 - base) * phase + gcSawtooth(spec, t, 0.02) + noise(spec, t, 0.004);
    },
  };
}

const limitTooLow: Model = {
  kills: (spec, from, to) => slotEvents(spec, 7, 2 * HOUR, 0.045, from, to).map((e) => e.at).filter((t) => t >= from && t <= to),
  fraction(spec, t, sinceKill) {
    const plateau = 0.9 + 0.02 * Math.sin((2 * Math.PI * t) / DAY + spec.seed) + noise(spec, t, 0.008);
    // a burst of work climbs from the plateau to the limit in the 20 minutes before each kill
    const next = limitTooLow.kills(spec, t, t + 1200)[0];
    const burst = next === undefined ? 0 : (1 - plateau) * (1 - (next - t) / 1200);
    const warm = sinceKill < 600 ? 0.5 + 0.5 * (sinceKill / 600) : 1; // restart: caches refill
    return Math.min(plateau * warm + burst, 0.998);
  },
};

const SPIKE_SECONDS = 240;
const spikes = (spec: ScenarioSpec, from: number, to: number) => slotEvents(spec, 3, HOUR, 0.05, from, to);
const loadSpikes: Model = {
  kills: (spec, from, to) =>
    spikes(spec, from - SPIKE_SECONDS, to)
      .filter((e) => 0.42 + 0.25 + 0.5 * e.size >= 1)
      .map((e) => e.at + 45)
      .filter((t) => t >= from && t <= to),
  fraction(spec, t, sinceKill) {
    const base = 0.42 + noise(spec, t, 0.01);
    const spike = spikes(spec, t - SPIKE_SECONDS, t).find((e) => t >= e.at && t < e.at + SPIKE_SECONDS);
    if (!spike || sinceKill < SPIKE_SECONDS) return base;
    return Math.min(base + 0.25 + 0.5 * spike.size, 0.998);
  },
};

const healthy: Model = {
  kills: () => [],
  fraction: (spec, t) => 0.5 + 0.04 * Math.sin((2 * Math.PI * t) / DAY + spec.seed) + noise(spec, t, 0.01),
};

const overProvisioned: Model = {
  kills: () => [],
  fraction: (spec, t) => 0.12 + 0.01 * Math.sin((2 * Math.PI * t) / DAY + spec.seed) + noise(spec, t, 0.005),
};

const dailySeasonality: Model = {
  kills: () => [],
  fraction: (spec, t) =>
    0.42 + 0.26 * Math.sin((2 * Math.PI * t) / DAY + (spec.seed % 628) / 100) + gcSawtooth(spec, t, 0.01) + noise(spec, t, 0.008),
};

const BATCH_PERIOD = 6 * HOUR;
const BATCH_RAMP = 1800;
const BATCH_RUN = 2700;
const batchPeak = (spec: ScenarioSpec, run: number) => 0.55 + 0.53 * hashUnit(spec.seed, run, 11);
const batchPeriod = (spec: ScenarioSpec) => (spec.periodHours ? spec.periodHours * HOUR : BATCH_PERIOD);
const batchStart = (spec: ScenarioSpec, run: number) => run * batchPeriod(spec) + (spec.seed % 1800);
const batchPeaks: Model = {
  kills(spec, from, to) {
    const out: number[] = [];
    for (let run = Math.floor(from / batchPeriod(spec)) - 1; batchStart(spec, run) <= to; run++) {
      const peak = batchPeak(spec, run);
      if (peak < 1) continue;
      const at = Math.round(batchStart(spec, run) + (BATCH_RAMP * (1 - 0.08)) / (peak - 0.08));
      if (at >= from && at <= to) out.push(at);
    }
    return out;
  },
  fraction(spec, t, sinceKill) {
    const run = Math.floor((t - (spec.seed % 1800)) / batchPeriod(spec));
    const elapsed = t - batchStart(spec, run);
    if (elapsed < 0 || elapsed > BATCH_RUN || sinceKill < elapsed) return 0.08 + noise(spec, t, 0.005);
    const peak = batchPeak(spec, run);
    return Math.min(0.08 + (peak - 0.08) * Math.min(1, elapsed / BATCH_RAMP) + noise(spec, t, 0.01), 0.998);
  },
};

// JVM whose -Xmx is above the limit: the heap fills towards Xmx and crosses the limit first.
const JVM_TAU = 10 * HOUR;
const JVM_CYCLE = JVM_TAU * Math.log(0.7 / (0.7 - 0.55)); // age at which 0.45 + 0.7(1 - e^-a/τ) reaches 1
const jvmXmx: Model = {
  kills: (spec, from, to) => periodicKills(hashUnit(spec.seed, 5) * JVM_CYCLE, JVM_CYCLE, from, to),
  fraction(spec, t) {
    const offset = hashUnit(spec.seed, 5) * JVM_CYCLE;
    const age = (((t - offset) % JVM_CYCLE) + JVM_CYCLE) % JVM_CYCLE;
    return Math.min(0.45 + 0.7 * (1 - Math.exp(-age / JVM_TAU)) + gcSawtooth(spec, t, 0.03, 300) + noise(spec, t, 0.004), 0.998);
  },
};

export const MODELS: Record<ScenarioKind, Model> = {
  fast_leak: leakModel(8, 0.32),
  slow_leak: leakModel(12 * 24, 0.3),
  limit_too_low: limitTooLow,
  load_spikes: loadSpikes,
  healthy,
  over_provisioned: overProvisioned,
  daily_seasonality: dailySeasonality,
  batch_peaks: batchPeaks,
  jvm_xmx: jvmXmx,
};

/**
 * What a model's container asks for with no limit in the way, as a fraction of `spec.limitBytes`: above
 * 1 where the model has it OOMKilled. `sinceStart` is the seconds since the container last started.
 * Comparing it with another limit re-simulates the same demand against that limit (lib/scenarios/resimulate.ts).
 */
export type Demand = (spec: ScenarioSpec, t: number, sinceStart: number) => number;

export interface DemandOptions {
  /**
   * limit_too_low: how far past the limit a burst of work would have gone had the kernel not killed it,
   * as a fraction of the limit (each burst draws 0..this from its own hash). The model only shows that
   * bursts reach the limit; what lies beyond is an assumption, so benches state it.
   */
  burstOvershoot?: number;
}

/** After its peak a limit_too_low burst holds for this long (its work finishing) before memory drops back. */
const BURST_HOLD_SECONDS = 120;

/** The unclipped demand of each model: the models' own formulas, with growth continuing past the limit. */
export function demandOf(kind: ScenarioKind, opts: DemandOptions = {}): Demand {
  switch (kind) {
    case "fast_leak":
    case "slow_leak": {
      const [hours, base] = kind === "fast_leak" ? [8, 0.32] : [12 * 24, 0.3];
      // the same line as leakModel, from the last start rather than from the periodic kills
      return (spec, t, since) =>
        base + ((0.995 - base) * since) / ((spec.cycleHours ?? hours) * HOUR) + gcSawtooth(spec, t, 0.02) + noise(spec, t, 0.004);
    }
    case "limit_too_low": {
      const overshoot = opts.burstOvershoot ?? 0.2;
      return (spec, t, since) => {
        const plateau = 0.9 + 0.02 * Math.sin((2 * Math.PI * t) / DAY + spec.seed) + noise(spec, t, 0.008);
        const warm = since < 600 ? 0.5 + 0.5 * (since / 600) : 1;
        let burst = 0;
        for (const e of slotEvents(spec, 7, 2 * HOUR, 0.045, t - BURST_HOLD_SECONDS, t + 1200)) {
          const toPeak = e.at - t;
          // a restart during the burst loses its work
          if (toPeak < -BURST_HOLD_SECONDS || toPeak > 1200 || since <= 1200 - toPeak) continue;
          const need = 1 + overshoot * e.size;
          burst = Math.max(burst, (need - plateau) * Math.min(1, 1 - toPeak / 1200));
        }
        return plateau * warm + burst;
      };
    }
    case "load_spikes":
      return (spec, t, since) => {
        const base = 0.42 + noise(spec, t, 0.01);
        const spike = spikes(spec, t - SPIKE_SECONDS, t).find((e) => t >= e.at && t < e.at + SPIKE_SECONDS);
        // a restart during the spike drops the requests that made it
        return !spike || since <= t - spike.at ? base : base + 0.25 + 0.5 * spike.size;
      };
    case "batch_peaks":
      return (spec, t, since) => {
        const run = Math.floor((t - (spec.seed % 1800)) / batchPeriod(spec));
        const elapsed = t - batchStart(spec, run);
        // a run killed part-way has failed: idle until the next one
        if (elapsed < 0 || elapsed > BATCH_RUN || since < elapsed) return 0.08 + noise(spec, t, 0.005);
        return 0.08 + (batchPeak(spec, run) - 0.08) * Math.min(1, elapsed / BATCH_RAMP) + noise(spec, t, 0.01);
      };
    case "jvm_xmx":
      return (spec, t, since) => 0.45 + 0.7 * (1 - Math.exp(-since / JVM_TAU)) + gcSawtooth(spec, t, 0.03, 300) + noise(spec, t, 0.004);
    default: {
      // never killed: the working set is the demand
      const model = MODELS[kind];
      return (spec, t, since) => model.fraction(spec, t, since);
    }
  }
}
