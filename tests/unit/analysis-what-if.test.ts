// The what-if: quantities as typed, and a proposed request and limit replayed by the engine's own rules
// (backtest, heap ceilings, cost, command) from the compact basis the page sends to the browser.
import { describe, expect, it } from "vitest";
import { analyzeContainerDetailed, type AnalysisInput } from "@/lib/analysis";
import type { BacktestBasis } from "@/lib/analysis/backtest";
import { Gi, Mi, parseMemoryQuantity } from "@/lib/analysis/quantity";
import { heapCeilings } from "@/lib/analysis/runtime";
import { parseWhatIf, runWhatIf, whatIfBasis, type WhatIfBasis } from "@/lib/analysis/what-if";
import type { ContainerInput } from "@/lib/analysis/types";
import { demoAnalysisInput } from "@/lib/scenarios/analysis-input";
import { DEMO_FLEET } from "@/lib/scenarios/demo-fleet";

const bytesOf = (t: string) => {
  const r = parseMemoryQuantity(t);
  if ("error" in r) throw new Error(r.error);
  return r.bytes;
};
const errorOf = (t: string) => {
  const r = parseMemoryQuantity(t);
  return "error" in r ? r.error : null;
};

describe("a memory quantity as typed", () => {
  it("reads Kubernetes' binary and decimal units, plain bytes and decimals, rounding up to a byte", () => {
    expect(bytesOf("768Mi")).toBe(768 * Mi);
    expect(bytesOf(" 1.5Gi ")).toBe(1536 * Mi);
    expect(bytesOf("1G")).toBe(1_000_000_000);
    expect(bytesOf("512M")).toBe(512_000_000);
    expect(bytesOf("2048Ki")).toBe(2 * Mi);
    expect(bytesOf("1048576")).toBe(Mi);
    expect(bytesOf("0.5Gi")).toBe(512 * Mi);
    expect(bytesOf("1.0000001Mi")).toBe(Mi + 1);
  });

  it("refuses under 1Mi, at the byte", () => {
    expect(bytesOf("1Mi")).toBe(Mi);
    expect(errorOf("1048575")).toBe("1048575 is under 1Mi: no process runs in that little memory.");
    expect(errorOf("0")).toMatch(/under 1Mi/);
  });

  it("says what is wrong and how to write it", () => {
    expect(errorOf("")).toBe("Enter a quantity, e.g. 768Mi or 1.5Gi.");
    expect(errorOf("768 Mi")).toBe("No space between the number and the unit: 768Mi.");
    expect(errorOf("768m")).toBe("768m means 768 thousandths of a byte (m is milli): write 768Mi.");
    expect(errorOf("768mi")).toBe("Units are case-sensitive: write 768Mi, not 768mi.");
    expect(errorOf("1GB")).toBe("Kubernetes does not write GB: write 1G.");
    expect(errorOf("1GiB")).toBe("Kubernetes does not write GiB: write 1Gi.");
    expect(errorOf("-1Gi")).toBe('"-1Gi" is not a Kubernetes quantity: a number and a unit, e.g. 768Mi, 1.5Gi or 1G.');
    expect(errorOf("1Gi; rm -rf /")).toMatch(/is not a Kubernetes quantity/);
  });
});

describe("a memory quantity as typed, its edges", () => {
  it("reads every unit Kubernetes writes, and a leading decimal point", () => {
    expect(bytesOf("1Ti")).toBe(1024 * Gi);
    expect(bytesOf("2T")).toBe(2e12);
    expect(errorOf("3k")).toBe("3k is under 1Mi: no process runs in that little memory.");
    expect(bytesOf(".5Gi")).toBe(512 * Mi);
    expect(bytesOf("1.25Gi")).toBe(1280 * Mi);
  });
  it("names the mistake for decimals and units alike", () => {
    expect(errorOf("1.5 Gi")).toBe("No space between the number and the unit: 1.5Gi.");
    expect(errorOf("12  MiB")).toBe("No space between the number and the unit: 12MiB.");
    expect(errorOf("x 1Gi")).toBe('"x 1Gi" is not a Kubernetes quantity: a number and a unit, e.g. 768Mi, 1.5Gi or 1G.');
    expect(errorOf("1.5gi")).toBe("Units are case-sensitive: write 1.5Gi, not 1.5gi.");
    expect(errorOf("2KI")).toBe("Units are case-sensitive: write 2Ki, not 2KI.");
    expect(errorOf("2ti")).toBe("Units are case-sensitive: write 2Ti, not 2ti.");
    expect(errorOf("1.5GB")).toBe("Kubernetes does not write GB: write 1.5G.");
    expect(errorOf("512kb")).toBe("Kubernetes does not write kb: write 512k.");
    expect(errorOf("512KB")).toBe("Kubernetes does not write KB: write 512k.");
    expect(errorOf("512mb")).toBe("Kubernetes does not write mb: write 512M.");
    expect(errorOf("2tib")).toBe("Kubernetes does not write tib: write 2Ti.");
    expect(errorOf("3xb")).toBe('"3xb" is not a Kubernetes quantity: a number and a unit, e.g. 768Mi, 1.5Gi or 1G.');
    expect(errorOf("3Gibs")).toBe('"3Gibs" is not a Kubernetes quantity: a number and a unit, e.g. 768Mi, 1.5Gi or 1G.');
    expect(errorOf("1.Gi")).toBe('"1.Gi" is not a Kubernetes quantity: a number and a unit, e.g. 768Mi, 1.5Gi or 1G.');
    expect(errorOf(".xGi")).toBe('".xGi" is not a Kubernetes quantity: a number and a unit, e.g. 768Mi, 1.5Gi or 1G.');
    expect(errorOf("1.xGi")).toBe('"1.xGi" is not a Kubernetes quantity: a number and a unit, e.g. 768Mi, 1.5Gi or 1G.');
  });
  it("refuses an amount no integer holds", () => {
    expect(errorOf("99999999Ti")).toBe("99999999Ti is too large.");
    expect(bytesOf("8191Ti")).toBe(8191 * 1024 * Gi);
  });
});

describe("a request and a limit as typed", () => {
  it("allows a request up to the limit and refuses one a byte above it", () => {
    expect(parseWhatIf("1Gi", "1024Mi")).toEqual({ values: { requestBytes: Gi, limitBytes: Gi, request: "1Gi", limit: "1024Mi" } });
    expect(parseWhatIf("1073741825", "1Gi")).toEqual({ errors: { request: "The request (1073741825) is above the limit (1Gi): Kubernetes refuses such a pod. Lower the request or raise the limit." } });
  });

  it("trims what was typed, reports both fields at once, and checks the order only when both parse", () => {
    expect(parseWhatIf(" 512Mi ", "  1Gi ")).toEqual({ values: { requestBytes: 512 * Mi, limitBytes: Gi, request: "512Mi", limit: "1Gi" } });
    expect(parseWhatIf(" 2Gi ", " 1Gi ")).toEqual({ errors: { request: "The request (2Gi) is above the limit (1Gi): Kubernetes refuses such a pod. Lower the request or raise the limit." } });
    expect(parseWhatIf("lots", "more")).toEqual({ errors: { request: expect.stringMatching(/^"lots" is not/), limit: expect.stringMatching(/^"more" is not/) } });
    expect(parseWhatIf("2Gi", "more")).toEqual({ errors: { limit: expect.stringMatching(/^"more" is not/) } });
    expect(parseWhatIf("lots", "1Gi")).toEqual({ errors: { request: expect.stringMatching(/^"lots" is not/) } });
  });

  it("names each field it refuses", () => {
    expect(parseWhatIf("abc", "768Mi")).toEqual({ errors: { request: expect.stringMatching(/"abc" is not a Kubernetes quantity/) } });
    expect(parseWhatIf("512Mi", "")).toEqual({ errors: { limit: "Enter a quantity, e.g. 768Mi or 1.5Gi." } });
  });
});

const container = (over: Partial<ContainerInput> = {}): ContainerInput => ({
  name: "app", namespace: "shop", workload: { kind: "Deployment", name: "cart", replicas: 3 }, requestBytes: 256 * Mi, limitBytes: 512 * Mi, ...over,
});
/** One pod killed once at the 512Mi limit with demand estimated at 600Mi, its peak sample 480Mi. */
const killedOnce: BacktestBasis = { oldLimit: 512 * Mi, isLeak: false, pods: [{ max: 480 * Mi, ooms: 1, killDemands: [600 * Mi], leak: null }] };
const basis = (c: ContainerInput, bt: BacktestBasis = killedOnce): WhatIfBasis => whatIfBasis(c, bt, heapCeilings(c), { currency: "EUR", perGiBMonth: 4 }, ["cart-1"]);
const run = (b: WhatIfBasis, request: string, limit: string) => {
  const p = parseWhatIf(request, limit);
  if (!("values" in p)) throw new Error(JSON.stringify(p.errors));
  return runWhatIf(b, p.values);
};

describe("the what-if replays the engine's rules", () => {
  it("counts a kill avoided by a limit above its estimated demand, not by one equal to it", () => {
    const b = basis(container());
    expect(run(b, "256Mi", "601Mi").backtest).toMatchObject({ observedOomKills: 1, avoidedOomKills: 1, tightestHeadroomBytes: Mi });
    expect(run(b, "256Mi", "600Mi").backtest).toMatchObject({ observedOomKills: 1, avoidedOomKills: 0, tightestHeadroomBytes: 0 });
    // below the peak the headroom is negative: the limit would still be exceeded
    expect(run(b, "256Mi", "400Mi").backtest.tightestHeadroomBytes).toBe(-200 * Mi);
  });

  it("charges the request change per replica and times the replicas, in the cluster's currency", () => {
    const r = run(basis(container()), "512Mi", "1Gi");
    // +256Mi = 0.25 GiB at 4 EUR per GiB-month: 1.00 per replica, 3.00 for 3
    expect(r.cost).toEqual({ currency: "EUR", replicas: 3, monthlyDeltaPerReplica: 1, monthlyDeltaTotal: 3 });
    expect(r.today).toEqual({ currency: "EUR", replicas: 3, monthlyPerReplica: 1, monthlyTotal: 3 });
    expect(run(basis(container()), "256Mi", "1Gi").cost!.monthlyDeltaTotal).toBe(0);
    expect(run(basis(container()), "256Mi", "1Gi").unchanged).toBe(false);
    expect(run(basis(container()), "256Mi", "512Mi").unchanged).toBe(true);
  });

  it("writes the command with the values as typed", () => {
    expect(run(basis(container()), "384Mi", "1.5Gi").kubectl).toBe("kubectl set resources deployment/cart -n shop -c app --limits=memory=1.5Gi --requests=memory=384Mi");
    expect(run(basis(container({ workload: null })), "384Mi", "1.5Gi").kubectl).toBeNull();
  });

  it("warns above 2x the request, not at it", () => {
    expect(run(basis(container()), "512Mi", "1Gi").warnings).toEqual([]);
    expect(run(basis(container()), "512Mi", "1025Mi").warnings).toEqual([expect.stringMatching(/^The limit \(1025Mi\) is 2\.0x the request \(512Mi\)/)]);
  });

  it("sends no env value, command line or sample to the browser", () => {
    const b = basis(container({ env: { JAVA_OPTS: "-Xmx512m -Dpassword=hunter2", DB_PASSWORD: "hunter2" }, command: ["java", "-Dtoken=hunter2", "-jar", "app.jar"], args: ["--secret=hunter2"] }));
    expect(JSON.stringify(b)).not.toContain("hunter2");
    expect(b.ceilings).toEqual([{ runtime: "jvm", flag: "-Xmx512m", variable: "JAVA_OPTS", size: { bytes: 512 * Mi }, adviceTemplate: "-Xmx{mib}m" }]);
  });
});

describe("the basis the page sends", () => {
  it("keeps the cluster's price and currency, USD when none is named, nothing without a price", () => {
    expect(whatIfBasis(container(), killedOnce, [], { currency: "EUR", perGiBMonth: 4 }, []).pricing).toEqual({ currency: "EUR", perGiBMonth: 4 });
    expect(whatIfBasis(container(), killedOnce, [], { perGiBMonth: 2 }, []).pricing).toEqual({ currency: "USD", perGiBMonth: 2 });
    expect(whatIfBasis(container(), killedOnce, [], { currency: "EUR", perGiBMonth: null }, []).pricing).toBeNull();
    expect(whatIfBasis(container(), killedOnce, [], null, []).pricing).toBeNull();
    expect(run({ ...basis(container()), pricing: null }, "512Mi", "1Gi").cost).toBeNull();
  });
});

describe("the heap-ceiling check at the proposed limit", () => {
  const jvm = (variable: boolean) =>
    basis(variable ? container({ env: { JAVA_OPTS: "-Xmx768m" } }) : container({ command: ["java", "-Xmx768m", "-jar", "app.jar"] }));

  it("is fine up to 75% of the limit, near above it, exceeded at the limit", () => {
    expect(run(jvm(true), "512Mi", "1Gi").ceilings[0]).toMatchObject({ status: "ok", bytes: 768 * Mi, afterBytes: 768 * Mi });
    expect(run(jvm(true), "512Mi", "1023Mi").ceilings[0]).toMatchObject({ status: "near", bytes: 768 * Mi });
    expect(run(jvm(true), "512Mi", "769Mi").ceilings[0]!.status).toBe("near");
    expect(run(jvm(true), "512Mi", "768Mi").ceilings[0]!.status).toBe("exceeds");
  });

  it("an env setting is lowered with the limit as the fix does, so the backtest may count the kill avoided", () => {
    const r = run(jvm(true), "512Mi", "768Mi");
    expect(r.ceilings[0]).toMatchObject({ afterBytes: 576 * Mi });
    expect(r.ceilings[0]!.message).toBe("The JVM heap ceiling -Xmx768m in JAVA_OPTS (768Mi) is at or above the 768Mi limit: the heap can grow until the kernel kills the process. Lower it to -Xmx576m (75% of the limit) in JAVA_OPTS together with the limit; the backtest assumes you do.");
    expect(r.backtest.avoidedOomKills).toBe(1);
    expect(r.backtest.note).toContain("It assumes the heap stays under -Xmx576m, as the fix sets it.");
  });

  it("a command-line setting stays as it is: at or above the limit no kill counts as avoided", () => {
    const r = run(jvm(false), "512Mi", "768Mi");
    expect(r.ceilings[0]).toMatchObject({ status: "exceeds", afterBytes: 768 * Mi });
    expect(r.ceilings[0]!.message).toBe("The JVM heap ceiling -Xmx768m in the command (768Mi) is at or above the 768Mi limit: the heap can grow until the kernel kills the process. Change it in the command to -Xmx576m, or raise the limit to at least 1Gi.");
    expect(r.backtest.avoidedOomKills).toBe(0);
    // one byte more and the heap no longer fills the limit
    expect(run(jvm(false), "512Mi", `${768 * Mi + 1}`).backtest.avoidedOomKills).toBe(1);
  });

  it("says in words how much room a fine ceiling leaves, and names Go's soft limit as such", () => {
    expect(run(jvm(true), "512Mi", "1Gi").ceilings[0]!.message).toBe("The JVM heap ceiling -Xmx768m in JAVA_OPTS (768Mi) leaves the runtime 25% of 1Gi: fine.");
    expect(run(jvm(false), "512Mi", "2Gi").ceilings[0]!.message).toBe("The JVM heap ceiling -Xmx768m in the command (768Mi) leaves the runtime 63% of 2Gi: fine.");
    const near = run(jvm(true), "512Mi", "900Mi").ceilings[0]!;
    expect(near.message).toBe("The JVM heap ceiling -Xmx768m in JAVA_OPTS (768Mi) leaves under 25% of 900Mi for everything outside the heap. Lower it to -Xmx675m (75% of the limit) in JAVA_OPTS together with the limit; the backtest assumes you do.");
    expect(near.afterBytes).toBe(675 * Mi);
    const go = run(basis(container({ env: { GOMEMLIMIT: "900MiB" } })), "512Mi", "960Mi").ceilings[0]!;
    expect(go.message).toBe("Go's soft memory limit GOMEMLIMIT=900MiB (900Mi) leaves under 10% of 960Mi for everything outside the heap. Lower it to GOMEMLIMIT=864MiB (90% of the limit) in GOMEMLIMIT together with the limit; the backtest assumes you do.");
    expect(run(basis(container({ env: { GOMEMLIMIT: "900MiB" } })), "512Mi", "1Gi").ceilings[0]!.message).toBe("Go's soft memory limit GOMEMLIMIT=900MiB (900Mi) leaves the runtime 12% of 1Gi: fine.");
  });

  it("the ceiling that comes closest to the limit decides the backtest, as lowered by the fix", () => {
    // a JVM in the command at the limit and a Go limit in env that the fix lowers: the JVM one decides, so nothing is avoided
    const both = basis(container({ command: ["java", "-Xmx768m", "-jar", "app.jar"], env: { GOMEMLIMIT: "700MiB" } }));
    const r = run(both, "512Mi", "768Mi");
    expect(r.ceilings.map((c) => c.status)).toEqual(expect.arrayContaining(["exceeds", "exceeds"]));
    expect(r.backtest.avoidedOomKills).toBe(0);
    expect(r.backtest.note).toContain("-Xmx768m");
    // the env setting alone is lowered (to 691Mi = 90% of 768Mi) and then leaves room: the kill above 600Mi counts as avoided at 768Mi
    const goOnly = run(basis(container({ env: { GOMEMLIMIT: "700MiB" } })), "512Mi", "768Mi");
    expect(goOnly.ceilings[0]).toMatchObject({ status: "near", afterBytes: 691 * Mi });
    expect(goOnly.backtest.note).toContain("GOMEMLIMIT=691MiB");
  });

  it("a ceiling with an absolute cap (MaxRAM) is not treated as relative", () => {
    const r = run(basis(container({ env: { JAVA_TOOL_OPTIONS: "-XX:MaxRAM=1g -XX:MaxRAMPercentage=90" } })), "512Mi", "1Gi");
    expect(r.ceilings[0]!.status).toBe("near");
    expect(r.ceilings[0]!.afterBytes).toBe(768 * Mi);
  });

  it("a relative setting becomes 75% of any limit", () => {
    const r = run(basis(container({ env: { JAVA_TOOL_OPTIONS: "-XX:MaxRAMPercentage=90" } })), "512Mi", "1Gi");
    expect(r.ceilings[0]).toMatchObject({ status: "near", bytes: 0.9 * Gi, afterBytes: 0.75 * Gi });
  });
});

describe("at the recommended values the what-if says what the verdict says", () => {
  const NOW = 1_760_000_000;
  const detailed = (input: AnalysisInput) =>
    analyzeContainerDetailed({
      now: input.now, container: input.container, pricing: input.pricing,
      pods: input.pods!.map((p) => ({ name: p.name, t: Float64Array.from(p.series.workingSet, (x) => x[0]), workingSet: Float64Array.from(p.series.workingSet, (x) => x[1]), terminations: p.terminations ?? [] })),
    });
  const fleet = DEMO_FLEET.flatMap((c) => c.workloads.map((w) => [c.slug, w.name] as const));

  it.each(fleet)("%s %s: backtest, cost and command", (cluster, workload) => {
    const d = detailed(demoAnalysisInput(cluster, workload, NOW, { days: 30 }));
    const rec = d.analysis.recommendation!;
    const r = runWhatIf(d.whatIf!, { requestBytes: rec.requestBytes, limitBytes: rec.limitBytes, request: rec.request, limit: rec.limit });
    expect(r.backtest).toEqual(d.analysis.backtest);
    if (d.analysis.cost) expect(r.cost).toEqual(d.analysis.cost);
    if (d.analysis.commands) expect(r.kubectl).toBe(d.analysis.commands.kubectl);
    expect(r.unchanged).toBe(rec.noChange);
    // the basis is a few kilobytes where the 30-day history is hundreds
    expect(JSON.stringify(d.whatIf).length).toBeLessThan(4000);
  });
});
