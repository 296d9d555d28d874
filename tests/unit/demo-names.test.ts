import { describe, expect, it } from "vitest";
import { DEMO_FLEET, fleetPods } from "@/lib/scenarios/demo-fleet";
import { scenarioTerminations } from "@/lib/scenarios";
import { fleetSpec } from "@/lib/scenarios/demo-fleet";

const H = "[bcdfghjklmnpqrstvwxz2456789]";

describe("the demo fleet's names", () => {
  it("are written as Kubernetes writes them", () => {
    const seen = new Set<string>();
    for (const c of DEMO_FLEET) {
      for (const w of c.workloads) {
        const pods = fleetPods(c.slug, w);
        for (const p of pods) {
          const n = p.name.slice(w.name.length + 1);
          expect(p.name.startsWith(`${w.name}-`)).toBe(true);
          if (w.kind === "Deployment") expect(n, p.name).toMatch(new RegExp(`^${H}{9,10}-${H}{5}$`));
          if (w.kind === "DaemonSet") expect(n, p.name).toMatch(new RegExp(`^${H}{5}$`));
          if (w.kind === "StatefulSet") expect(n, p.name).toMatch(/^\d+$/);
          if (w.kind === "CronJob") expect(n, p.name).toMatch(new RegExp(`^\\d{8}-${H}{5}$`));
          expect(p.name).not.toMatch(/xxx|zzz/);
          expect(seen.has(`${c.slug}/${p.name}`)).toBe(false);
          seen.add(`${c.slug}/${p.name}`);
        }
        // one ReplicaSet: a Deployment's pods share their hash
        if (w.kind === "Deployment") expect(new Set(pods.map((p) => p.name.split("-").at(-2))).size).toBe(1);
      }
    }
  });

  it("the nightly ETL runs once a night: never two runs' kills within 20 hours", () => {
    const now = 1_764_900_000;
    for (const c of DEMO_FLEET) {
      const w = c.workloads.find((x) => x.name === "nightly-etl");
      if (!w) continue;
      const kills = fleetPods(c.slug, w).flatMap((p) => scenarioTerminations(fleetSpec(c.slug, w, w.containers[0]!, p), now - 90 * 86_400, now)).map((t) => t.at).sort((a, b) => a - b);
      expect(kills.length).toBeGreaterThan(0);
      for (let i = 1; i < kills.length; i++) expect(kills[i]! - kills[i - 1]!).toBeGreaterThan(20 * 3600);
    }
  });
});
