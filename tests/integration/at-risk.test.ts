import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createDb, type Db } from "@/db/connect";
import { seedDemo } from "@/db/seed/demo";
import { computeAtRisk, entryOf, levelOf, STALL_FLAG_RATIO } from "@/lib/at-risk/compute";
import { pageAtRisk } from "@/lib/at-risk/list";
import { setAlertSettings } from "@/lib/at-risk/settings";
import { atRiskQuery, DEFAULT_ALERT_SETTINGS } from "@/lib/schemas/alerts";
import type { AtRiskSubject } from "@/lib/queries/at-risk";

const NOW = 1_764_900_000;
let db: Db;
let orgId: string;

beforeAll(async () => {
  db = createDb(inject("databaseUrl"), 4);
  orgId = (await seedDemo(db, { now: NOW })).orgId;
});
afterAll(async () => {
  await db.$client.end();
});

describe("alert levels", () => {
  it("are >= at each boundary: 85% is a warning, 95% critical, just under is not", () => {
    expect(levelOf(0.85, DEFAULT_ALERT_SETTINGS)).toBe("warning");
    expect(levelOf(0.8499, DEFAULT_ALERT_SETTINGS)).toBe("none");
    expect(levelOf(0.95, DEFAULT_ALERT_SETTINGS)).toBe("critical");
    expect(levelOf(0.9499, DEFAULT_ALERT_SETTINGS)).toBe("warning");
    expect(levelOf(null, DEFAULT_ALERT_SETTINGS)).toBe("none");
  });

  it("a container under the warning level, not growing and not stalling is not listed; PSI at the flag ratio is", () => {
    const s = { cluster: "c", namespace: "n", workloadKind: "Deployment", workloadName: "w", name: "app", limitBytes: 1000, requestBytes: 500, workloadId: "x", incidentId: null } as AtRiskSubject;
    expect(entryOf(s, { workingSetBytes: 849, verdict: null, stallRatio: STALL_FLAG_RATIO - 0.001 }, DEFAULT_ALERT_SETTINGS)).toBeNull();
    const stalling = entryOf(s, { workingSetBytes: 849, verdict: null, stallRatio: STALL_FLAG_RATIO }, DEFAULT_ALERT_SETTINGS);
    expect(stalling).toMatchObject({ level: "none", stalling: true, timeToOomHours: null });
  });
});

describe("the demo organization's at-risk list", () => {
  it("lists containers near their limit and projected leaks, soonest OOMKill first", async () => {
    const r = await computeAtRisk(db, { orgId, now: NOW + 1800 });
    expect(r.entries.length).toBeGreaterThan(3);
    // ordered by time to OOM, the ones without a projection after
    const times = r.entries.map((e) => e.timeToOomHours ?? Infinity);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // the leaking payments API of prod-eu is projected to reach its limit, in the guide's words
    const leak = r.entries.find((e) => e.cluster === "prod-eu" && e.workloadName === "payments-api" && e.container === "api");
    expect(leak?.timeToOomHours).toBeGreaterThan(0);
    expect(leak?.growthBytesPerHour).toBeGreaterThan(0);
    expect(leak?.pattern).toBe("leak");
    for (const e of r.entries) {
      if (e.usageOfLimit !== null) expect(e.level).toBe(e.usageOfLimit >= 0.95 ? "critical" : e.usageOfLimit >= 0.85 ? "warning" : "none");
      expect(e.level !== "none" || e.timeToOomHours !== null || e.stalling).toBe(true);
    }
    expect(r.entries.some((e) => e.level === "critical" || e.level === "warning")).toBe(true);
  });

  it("says which clusters export PSI (prod-eu, prod-us) and which do not (staging), and flags stalls only where it is exported", async () => {
    const r = await computeAtRisk(db, { orgId, now: NOW + 1800 });
    expect(Object.fromEntries(r.clusters.map((c) => [c.cluster, c.psi]))).toEqual({ "prod-eu": true, "prod-us": true, staging: false });
    for (const e of r.entries.filter((x) => x.cluster === "staging")) expect(e.stallRatio).toBeNull();
    for (const e of r.entries.filter((x) => x.stalling)) expect(e.stallRatio).toBeGreaterThanOrEqual(STALL_FLAG_RATIO);
  });

  it("filters by cluster, namespace and severity and pages, with counts", async () => {
    const r = await computeAtRisk(db, { orgId, now: NOW + 1800 });
    const all = pageAtRisk(r, atRiskQuery.parse({}));
    expect(all.total).toBe(r.entries.length);
    expect(all.counts.all).toBe(r.entries.length);
    const eu = pageAtRisk(r, atRiskQuery.parse({ cluster: "prod-eu" }));
    expect(eu.rows.every((e) => e.cluster === "prod-eu")).toBe(true);
    expect(eu.total).toBe(r.entries.filter((e) => e.cluster === "prod-eu").length);
    const ns = eu.rows[0]!.namespace;
    const byNs = pageAtRisk(r, atRiskQuery.parse({ cluster: "prod-eu", namespace: ns }));
    expect(byNs.rows.every((e) => e.namespace === ns)).toBe(true);
    const crit = pageAtRisk(r, atRiskQuery.parse({ severity: "critical" }));
    expect(crit.rows.every((e) => e.level === "critical")).toBe(true);
    expect(crit.total).toBe(all.counts.critical);
    const leaks = pageAtRisk(r, atRiskQuery.parse({ severity: "leak" }));
    expect(leaks.rows.every((e) => e.timeToOomHours !== null)).toBe(true);
    const p2 = pageAtRisk(r, atRiskQuery.parse({ pageSize: "2", page: "2" }));
    expect(p2.rows).toEqual(r.entries.slice(2, 4));
  });

  it("follows the organization's levels once an admin changes them", async () => {
    await setAlertSettings(db, { orgId, input: { warningPercent: 60, criticalPercent: 70, sustainedPercent: 90, sustainedMinutes: 10, leakWithinHours: 24 }, actor: { userId: null, ip: null } });
    try {
      const r = await computeAtRisk(db, { orgId, now: NOW + 7200 });
      expect(r.settings.warningPercent).toBe(60);
      for (const e of r.entries) if (e.usageOfLimit !== null) expect(e.level).toBe(e.usageOfLimit >= 0.7 ? "critical" : e.usageOfLimit >= 0.6 ? "warning" : "none");
    } finally {
      await setAlertSettings(db, { orgId, input: DEFAULT_ALERT_SETTINGS, actor: { userId: null, ip: null } });
    }
  });
});
