// The backtest's rules, each pinned with figures worked out by hand: the demand a kill is estimated at,
// which kills a limit would have avoided, the tightest headroom, a leak's replay, and the note's wording.
import { describe, expect, it } from "vitest";
import { backtest, hoursBetweenKills } from "@/lib/analysis/backtest";
import type { CycleTrend, PodSeriesArrays, PodTrend } from "@/lib/analysis/cycles";
import { Mi } from "@/lib/analysis/quantity";

/** One pod: sample times (s), working set (Mi), OOMKill times; `max` (bytes) when the caller knows the peak. */
function pod(t: number[], wsMi: number[], ooms: number[] = [], max?: number): PodSeriesArrays {
  return { name: "p", t: Float64Array.from(t), ws: Float64Array.from(wsMi.map((v) => v * Mi)), restarts: ooms, ooms, ...(max === undefined ? {} : { max }) };
}
const cycle = (start: number, slope: number, endedByOom: boolean): CycleTrend => ({
  start, end: start + 99, endedByOom, buckets: 10, slope, r2: 1, fractionRising: 1, halfRatio: 1, relativeGrowth: 0.5, leakScore: 1,
});
const trend = (cycles: CycleTrend[] = []): PodTrend => ({ name: "p", cycles, latestBytes: 0, latestAt: 0, currentSlope: null, currentSteady: false });

const ESTIMATE = "Estimate: each kill counts as demand of at least the";
const ESTIMATE_TAIL = "limit it hit, or the last samples' rise continued one scrape, whichever is higher; demand above that is not visible in the metrics.";

describe("the demand a kill is estimated at (not a leak)", () => {
  // samples every minute: 100, 200, 300 then down to 250Mi
  const T = [0, 60, 120, 180];
  const WS = [100, 200, 300, 250];
  const avoidedAt = (killAt: number, limitBytes: number, oldLimit: number | null = null) =>
    backtest([pod(T, WS, [killAt])], [trend()], limitBytes, oldLimit, false).avoidedOomKills;
  /** the kill counts as avoided by a limit 1 byte above `demand`, not by one equal to it */
  const expectDemand = (killAt: number, demand: number, oldLimit: number | null = null) => {
    expect(avoidedAt(killAt, demand, oldLimit)).toBe(0);
    expect(avoidedAt(killAt, demand + 1, oldLimit)).toBe(1);
  };

  it("is the last sample at or before the kill plus that sample's rise once more", () => {
    expectDemand(60, 300 * Mi); // 200 + (200 - 100)
    expectDemand(119, 300 * Mi); // the sample at 60 is still the last one
    expectDemand(120, 400 * Mi); // a sample at the very second of the kill counts: 300 + (300 - 200)
    expectDemand(150, 400 * Mi);
  });

  it("never extrapolates a fall: after a drop the demand is the last sample", () => {
    expectDemand(180, 250 * Mi);
    expectDemand(10_000, 250 * Mi);
  });

  it("at the first sample there is no rise to continue; before any sample there is no evidence", () => {
    expectDemand(0, 100 * Mi);
    expectDemand(-10, 0);
  });

  it("is at least the old limit the kill happened at", () => {
    expectDemand(120, 512 * Mi, 512 * Mi);
    expectDemand(120, 400 * Mi, 256 * Mi); // the rise is higher than a 256Mi limit
    expectDemand(-10, 256 * Mi, 256 * Mi);
  });

  it("a heap ceiling at or above the new limit means no kill counts as avoided", () => {
    const run = (afterBytes: number) => backtest([pod(T, WS, [120])], [trend()], 512 * Mi, 256 * Mi, false, { flag: "-Xmx512m", afterBytes });
    const fills = run(512 * Mi);
    expect(fills.avoidedOomKills).toBe(0);
    expect(fills.note).toBe("None of the 1 OOMKills counts as avoided: -Xmx512m lets the heap grow to 512Mi, at or above 512Mi, so the kernel can still kill it there.");
    // the headroom is still that of the demand estimate: 512 - 400
    expect(fills.tightestHeadroomBytes).toBe(112 * Mi);
    const under = run(512 * Mi - 1);
    expect(under.avoidedOomKills).toBe(1);
    expect(under.note).toBe(
      `All 1 OOMKills would have been avoided; the tightest moment would have left 22% of the limit free. ${ESTIMATE} 256Mi ${ESTIMATE_TAIL} It assumes the heap stays under -Xmx512m, as the fix sets it.`,
    );
    // the heap size in the note is rounded to the MiB
    expect(run(600.6 * Mi).note).toContain("lets the heap grow to 601Mi, at or above 512Mi");
    expect(run(600.4 * Mi).note).toContain("lets the heap grow to 600Mi, at or above 512Mi");
  });
});

describe("headroom and the note (not a leak)", () => {
  it("the tightest moment is the pod's peak or a kill's demand, whichever leaves less", () => {
    // peak 300Mi, the kill at 120 is estimated at 400Mi: 512 - 400 = 112Mi, 112/512 = 21.875%
    const b = backtest([pod([0, 60, 120, 180], [100, 200, 300, 250], [120])], [trend()], 512 * Mi, null, false);
    expect(b).toEqual({
      observedOomKills: 1, avoidedOomKills: 1, tightestHeadroomBytes: 112 * Mi, tightestHeadroomRatio: 0.219,
      note: `All 1 OOMKills would have been avoided; the tightest moment would have left 22% of the limit free. ${ESTIMATE} old ${ESTIMATE_TAIL}`,
    });
    // a kill estimated below the peak: the peak decides (512 - 300)
    const low = backtest([pod([0, 60, 120, 180], [100, 200, 300, 250], [-10])], [trend()], 512 * Mi, null, false);
    expect(low.tightestHeadroomBytes).toBe(212 * Mi);
  });

  it("uses the peak the caller knows (the raw samples' maximum) over the series' own", () => {
    const b = backtest([pod([0, 60], [100, 200], [], 450 * Mi)], [trend()], 512 * Mi, null, false);
    expect(b.tightestHeadroomBytes).toBe(62 * Mi);
    expect(b.note).toBe("No OOMKill in the window; the tightest moment would have left 62Mi free.");
    // the peak is found anywhere in the series, not only at its end
    expect(backtest([pod([0, 60, 120], [100, 450, 200])], [trend()], 512 * Mi, null, false).tightestHeadroomBytes).toBe(62 * Mi);
  });

  it("counts kills over every pod, and the tightest pod sets the headroom", () => {
    const quiet = pod([0, 60, 120], [100, 450, 200]);
    const killed = pod([0, 60, 120, 180], [100, 200, 300, 250], [60, 120]);
    const b = backtest([quiet, killed], [trend(), trend()], 400 * Mi, 256 * Mi, false);
    // kill at 60: demand 300Mi, avoided by 400Mi; at 120: 400Mi, not; the quiet pod's 450Mi peak is tighter still
    expect(b).toEqual({
      observedOomKills: 2, avoidedOomKills: 1, tightestHeadroomBytes: -50 * Mi, tightestHeadroomRatio: -0.125,
      note: `1 of 2 OOMKills would have been avoided; 1 had demand estimated above 400Mi. ${ESTIMATE} 256Mi ${ESTIMATE_TAIL}`,
    });
  });

  it("rounds the free memory to whole MiB and never calls it negative", () => {
    const at = (peakMi: number, limitBytes = 512 * Mi) => backtest([pod([0, 60], [100, peakMi])], [trend()], limitBytes, null, false);
    expect(at(300.4).note).toBe("No OOMKill in the window; the tightest moment would have left 212Mi free.");
    expect(at(300.4).tightestHeadroomBytes).toBe(Math.round(211.6 * Mi));
    expect(at(300.6).note).toBe("No OOMKill in the window; the tightest moment would have left 211Mi free.");
    const over = at(600);
    expect(over.tightestHeadroomBytes).toBe(-88 * Mi);
    expect(over.note).toBe("No OOMKill in the window; the tightest moment would have left 0Gi free.");
  });

  it("the free share of the limit is rounded to the percent, and 0% rather than negative", () => {
    // demand 400Mi (kill at 120), limit 1000Mi: 60% free; ratio to the thousandth
    const b = backtest([pod([0, 60, 120, 180], [100, 200, 300, 250], [120])], [trend()], 1000 * Mi, null, false);
    expect(b.note).toMatch(/^All 1 OOMKills would have been avoided; the tightest moment would have left 60% of the limit free\./);
    expect(b.tightestHeadroomRatio).toBe(0.6);
    // 3 of 1003: 0.299% -> 0%, ratio 0.003
    const tight = backtest([pod([0, 60], [100, 1000])], [trend()], 1003 * Mi, null, false);
    expect(tight.tightestHeadroomRatio).toBe(0.003);
    // a peak above the new limit with every kill avoided (a kill before the first sample): 0%, not negative
    const over = backtest([pod([0, 60], [100, 600], [-10])], [trend()], 512 * Mi, null, false);
    expect(over.avoidedOomKills).toBe(1);
    expect(over.tightestHeadroomBytes).toBe(-88 * Mi);
    expect(over.note).toMatch(/^All 1 OOMKills would have been avoided; the tightest moment would have left 0% of the limit free\./);
  });

  it("without pods or samples the whole limit is free", () => {
    expect(backtest([], [], 512 * Mi, null, false)).toEqual({
      observedOomKills: 0, avoidedOomKills: 0, tightestHeadroomBytes: 512 * Mi, tightestHeadroomRatio: 1,
      note: "No OOMKill in the window; the tightest moment would have left 512Mi free.",
    });
    expect(backtest([pod([], [])], [trend()], 512 * Mi, null, false).tightestHeadroomBytes).toBe(512 * Mi);
  });
});

describe("a leak's replay", () => {
  // two cycles ended by a kill, restarting at 200Mi (t=0) and 150Mi (t=300); the current cycle (not
  // ended by a kill) restarted at 100Mi, and a flat cycle ended by a kill restarted at 50Mi
  const T = [0, 100, 200, 300, 400, 500, 600, 700, 900];
  const WS = [200, 300, 400, 150, 250, 350, 100, 120, 50];
  const CYCLES = [cycle(0, 1 * Mi, true), cycle(300, 3 * Mi, true), cycle(600, 2 * Mi, false), cycle(900, 0, true)];
  const kills = [90, 290, 590, 890, 1000, 1100];
  const run = (limitMi: number, oldLimitMi: number | null, cycles = CYCLES) =>
    backtest([pod(T, WS, kills)], [trend(cycles)], limitMi * Mi, oldLimitMi === null ? null : oldLimitMi * Mi, true);

  it("a higher limit lengthens each cycle from the lowest restart floor: kills kept = kills x old cycle / new cycle, rounded down", () => {
    // floor 150Mi (only growing cycles ended by a kill count): old cycle 512 - 150 = 362, new 874 - 150 = 724: 6 x 1/2 = 3 kept
    expect(run(874, 512)).toEqual({
      observedOomKills: 6, avoidedOomKills: 3, tightestHeadroomBytes: 0, tightestHeadroomRatio: 0,
      note: "At the observed growth, 874Mi would have cut 6 OOMKills to 3: it buys time, the leak still needs fixing.",
    });
    // 1 byte more: 6 x 362 / (724Mi + 1 byte) is just under 3, rounded down to 2 kept
    expect(run(874 + 1 / Mi, 512).avoidedOomKills).toBe(4);
    // a Gi: 6 x 362 / 874 = 2.49 -> 2 kept, 4 avoided
    expect(run(1024, 512)).toMatchObject({ avoidedOomKills: 4, note: "At the observed growth, 1Gi would have cut 6 OOMKills to 2: it buys time, the leak still needs fixing." });
  });

  it("the growth rate itself cancels out: the same result for any positive growth", () => {
    const slow = [cycle(0, 0.25, true), cycle(300, 0.75, true)];
    expect(run(874, 512, slow).avoidedOomKills).toBe(3);
  });

  it("while kills remain, the new limit is still reached: no headroom", () => {
    expect(run(874, 512).tightestHeadroomBytes).toBe(0);
    // when every kill is avoided the headroom is the peak's: 5000 - 400
    const all = run(5000, 512);
    expect(all.avoidedOomKills).toBe(6);
    expect(all.tightestHeadroomBytes).toBe(4600 * Mi);
  });

  it("without an old limit, or without growing cycles ended by a kill, no kill is kept", () => {
    expect(run(874, null)).toMatchObject({ avoidedOomKills: 6, tightestHeadroomBytes: 474 * Mi });
    expect(run(874, 512, [cycle(0, 0, true), cycle(300, 1 * Mi, false)])).toMatchObject({ avoidedOomKills: 6, tightestHeadroomBytes: 474 * Mi });
    expect(run(874, 512, [])).toMatchObject({ avoidedOomKills: 6 });
  });

  it("never counts more kills avoided than observed, nor fewer than none", () => {
    // an old limit under the restart floor: no cycle to replay
    expect(run(874, 100).avoidedOomKills).toBe(6);
    // a lower limit than the one it was killed at shortens the cycle: more kills, none avoided
    expect(run(400, 512)).toMatchObject({ avoidedOomKills: 0, note: "At the observed growth, 400Mi would have cut 6 OOMKills to 6: it buys time, the leak still needs fixing." });
  });

  it("a leaking pod's replay leaves other pods' kills to their own cycles", () => {
    const quiet = pod([0, 60], [100, 200]);
    const b = backtest([quiet, pod(T, WS, kills)], [trend([cycle(0, 5 * Mi, true)]), trend(CYCLES)], 874 * Mi, 512 * Mi, true);
    expect(b.avoidedOomKills).toBe(3);
  });
});

describe("hours between kills of a leak", () => {
  const p = pod([0, 100, 200, 300, 400], [200, 300, 400, 150, 250]);
  const trends = [trend([cycle(0, 1, true), cycle(300, 1, true)])];

  it("is the climb from the lowest restart floor to the limit at the growth rate", () => {
    // (512 - 150) / 15
    expect(hoursBetweenKills([p], trends, 512 * Mi, 15 * Mi)).toBe(362 / 15);
  });

  it("takes the floor at the cycle's start, or the first sample after it", () => {
    expect(hoursBetweenKills([p], [trend([cycle(250, 1, true)])], 512 * Mi, Mi)).toBe(362);
    expect(hoursBetweenKills([p], [trend([cycle(301, 1, true)])], 512 * Mi, Mi)).toBe(262);
    expect(hoursBetweenKills([p], [trend([cycle(100, 1, true)])], 512 * Mi, Mi)).toBe(212);
    expect(hoursBetweenKills([p], [trend([cycle(999, 1, true)])], 512 * Mi, Mi)).toBe(262);
  });

  it("is the lowest floor over every pod", () => {
    const q = pod([0, 100], [90, 300]);
    expect(hoursBetweenKills([p, q], [...trends, trend([cycle(0, 1, true)])], 512 * Mi, Mi)).toBe(422);
    // a pod without a trend is skipped
    expect(hoursBetweenKills([p, q], trends, 512 * Mi, Mi)).toBe(362);
  });

  it("is null without growth or without a cycle, and 0 rather than negative", () => {
    expect(hoursBetweenKills([p], trends, 512 * Mi, null)).toBeNull();
    expect(hoursBetweenKills([p], trends, 512 * Mi, 0)).toBeNull();
    expect(hoursBetweenKills([p], trends, 512 * Mi, -Mi)).toBeNull();
    expect(hoursBetweenKills([p], [trend()], 512 * Mi, Mi)).toBeNull();
    expect(hoursBetweenKills([p], trends, 100 * Mi, Mi)).toBe(0);
  });
});
