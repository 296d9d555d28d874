import { describe, expect, it } from "vitest";
import { downsample, oomMarkers } from "@/lib/charts/downsample";
import { DEMO_SCRAPE_SECONDS, DemoSource, foldMax } from "@/lib/metrics/demo-source";
import { generateSeries } from "@/lib/scenarios";
import { DEMO_FLEET, fleetPods, fleetSpec, mebibytes } from "@/lib/scenarios/demo-fleet";

const NOW = 1_764_900_000;
const DAY = 86_400;
const source = new DemoSource();
const prodEu = DEMO_FLEET.find((c) => c.slug === "prod-eu")!;
const cart = prodEu.workloads.find((w) => w.name === "cart-service")!;
const cartRef = { cluster: "prod-eu", namespace: cart.namespace, workloadKind: cart.kind, workloadName: cart.name, container: "cart" };
const limit = mebibytes(cart.containers[0]!.limitMi)!;

describe("the demo's memory history", () => {
  for (const [window, days] of [["7d", 7], ["30d", 30]] as const) {
    it(`charts every spike that killed the load-spike container over ${window}, at the 5-minute step`, async () => {
      const pods = await source.containerHistory(cartRef, { start: NOW - days * DAY, end: NOW, stepSeconds: 300 });
      let kills = 0;
      for (const p of pods) {
        // what the chart draws: at most 800 points, a marker for each kill on the spike it ended
        const points = downsample(p.t, p.workingSet, p.rss, p.cache, 800);
        const killTimes = p.terminations.filter((x) => x.reason === "OOMKilled").map((x) => x.at);
        const markers = oomMarkers(points, killTimes);
        expect(markers.map((m) => m.t)).toEqual(killTimes.filter((at) => at >= points[0]!.t && at <= points[points.length - 1]!.t));
        // the spike lasts under a minute before the kill: only a max-per-step read keeps it
        for (const m of markers) expect(m.ws, `kill at ${m.t} in ${p.pod}`).toBeGreaterThanOrEqual(0.99 * limit);
        kills += markers.length;
      }
      expect(kills).toBeGreaterThanOrEqual(days === 7 ? 3 : 10);
    });
  }

  it("keeps each step's highest scraped sample, dated at the step's end, as max_over_time does", () => {
    const pod = fleetPods("prod-eu", cart)[0]!;
    const spec = fleetSpec("prod-eu", cart, cart.containers[0]!, pod);
    const raw = generateSeries(spec, { start: NOW - DAY, end: NOW, stepSeconds: DEMO_SCRAPE_SECONDS });
    const folded = foldMax(raw, NOW - DAY + 300, NOW, 300);
    expect(folded.t[0]).toBe(NOW - DAY + 300);
    for (let k = 0; k < folded.t.length; k++) {
      const at = folded.t[k]!;
      let max = -Infinity;
      for (let i = 0; i < raw.t.length; i++) if (raw.t[i]! > at - 300 && raw.t[i]! <= at) max = Math.max(max, raw.workingSet[i]!);
      expect(folded.workingSet[k], `step ending ${at}`).toBe(max);
    }
  });

  it("reads the same window the same way every time, and the statistics come from every scraped sample", async () => {
    const window = { start: NOW - 30 * DAY, end: NOW, stepSeconds: 300 };
    const a = await new DemoSource().analysisHistory(cartRef, window);
    const b = await new DemoSource().analysisHistory(cartRef, window);
    expect(a).toEqual(b);
    expect(a.rawStats!.samples).toBeGreaterThan(cart.replicas * ((30 * DAY) / DEMO_SCRAPE_SECONDS) * 0.99);
    expect(a.rawStats!.stats.max).toBe(Math.max(...a.pods.map((p) => Math.max(...p.workingSet))));
  });
});
