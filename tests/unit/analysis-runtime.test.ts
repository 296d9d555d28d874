import { describe, expect, it } from "vitest";
import { AnalysisError, analyzeContainer, analyzeInput, InputError, parseAnalysisInput, type ContainerInput, type Termination } from "@/lib/analysis";
import { Gi, Mi } from "@/lib/analysis/quantity";
import { planSizing } from "@/lib/analysis/recommend";
import { goMemLimitBytes, heapCeilings } from "@/lib/analysis/runtime";
import { demoAnalysisInput } from "@/lib/scenarios/analysis-input";

const NOW = 1_764_900_000;
const H = 3600;
const flat = (mean: number) => ({ mean, p50: mean, p95: mean, p99: mean, max: mean });
const deploy = (extra: Partial<ContainerInput>): ContainerInput => ({
  name: "app", namespace: "shop", workload: { kind: "Deployment", name: "api", replicas: 2 }, requestBytes: 512 * Mi, limitBytes: 2 * Gi, ...extra,
});

describe("heap ceilings read from env and command", () => {
  it.each([
    ["JAVA_OPTS", "-Xms256m -Xmx1g -XX:+UseG1GC", Gi],
    ["JAVA_TOOL_OPTIONS", "-Xmx1200m", 1200 * Mi],
    ["JDK_JAVA_OPTIONS", "-XX:MaxHeapSize=2g", 2 * Gi],
    ["KAFKA_HEAP_OPTS", "-Xmx2g -Xms2g", 2 * Gi],
    ["NODE_OPTIONS", "--max-old-space-size=768", 768 * Mi],
    ["NODE_OPTIONS", "--max-old-space-size 1536 --enable-source-maps", 1536 * Mi],
    ["GOMEMLIMIT", "450MiB", 450 * Mi],
  ])("%s=%s is a ceiling of %d bytes", (variable, value, bytes) => {
    const [h] = heapCeilings(deploy({ env: { [variable]: value } }));
    expect(h!.variable).toBe(variable);
    expect(h!.bytesAt(2 * Gi)).toBe(bytes);
  });

  it("reads the command line, which wins over the env (the JVM and Node.js apply it last)", () => {
    const jvm = heapCeilings(deploy({ env: { JAVA_TOOL_OPTIONS: "-Xmx4g" }, command: ["java", "-Xmx512m", "-jar", "app.jar"] }));
    expect(jvm[0]!.variable).toBeNull();
    expect(jvm[0]!.bytesAt(Gi)).toBe(512 * Mi);
    const node = heapCeilings(deploy({ command: ["node", "--max-old-space-size=900", "server.js"] }));
    expect(node[0]!.runtime).toBe("node");
    expect(node[0]!.bytesAt(Gi)).toBe(900 * Mi);
  });

  it("sizes -XX:MaxRAMPercentage from the limit and -XX:MaxRAM with it", () => {
    const pct = heapCeilings(deploy({ env: { JAVA_OPTS: "-XX:MaxRAMPercentage=80.0" } }))[0]!;
    expect(pct.bytesAt(Gi)).toBeCloseTo(0.8 * Gi);
    const ram = heapCeilings(deploy({ env: { JAVA_OPTS: "-XX:MaxRAM=4g -XX:MaxRAMPercentage=50" } }))[0]!;
    expect(ram.bytesAt(8 * Gi)).toBe(2 * Gi);
    expect(ram.bytesAt(Gi)).toBe(0.5 * Gi);
  });

  it("parses Go's units and ignores what Go would not accept", () => {
    expect(goMemLimitBytes("1GiB")).toBe(Gi);
    expect(goMemLimitBytes("1073741824")).toBe(Gi);
    expect(goMemLimitBytes("off")).toBeNull();
    expect(goMemLimitBytes("1GB")).toBeNull();
  });
});

describe("the recommended limit leaves the runtime room (contract)", () => {
  // stateless: limit = p95 x 1.2 rounded up; p95 800Mi -> 960Mi -> 1Gi
  const stats = flat(800 * Mi);

  it("keeps a JVM ceiling at exactly 75% of the limit, and lowers one 1 MiB above it", () => {
    const at = planSizing(deploy({ env: { JAVA_OPTS: "-Xmx768m" } }), stats, { oomKilled: false, leak: false });
    expect(at.rec.limitBytes).toBe(Gi);
    expect(at.env).toEqual({});
    const above = planSizing(deploy({ env: { JAVA_OPTS: "-Xmx769m -XX:+UseG1GC" } }), stats, { oomKilled: false, leak: false });
    expect(above.env).toEqual({ JAVA_OPTS: "-Xmx768m -XX:+UseG1GC" });
  });

  it("lowers -Xms with -Xmx (a JVM with -Xms above -Xmx does not start) and keeps the other flags", () => {
    const kafka = planSizing(
      { name: "broker", namespace: "data", workload: { kind: "StatefulSet", name: "kafka", replicas: 3 }, requestBytes: 4 * Gi, limitBytes: 8 * Gi, env: { KAFKA_HEAP_OPTS: "-Xmx2g -Xms2g", OTHER: "x" } },
      { mean: 900 * Mi, p50: 900 * Mi, p95: 1000 * Mi, p99: 1100 * Mi, max: 1200 * Mi },
      { oomKilled: false, leak: false },
    );
    expect(kafka.rec.limit).toBe("1536Mi");
    expect(kafka.env).toEqual({ KAFKA_HEAP_OPTS: "-Xmx1152m -Xms1152m" });
    expect(kafka.ceilings[0]!.afterBytes).toBe(1152 * Mi);
  });

  it("Go gets 90%: GOMEMLIMIT=922MiB at 1Gi stays, 923MiB comes down", () => {
    expect(planSizing(deploy({ env: { GOMEMLIMIT: "921MiB" } }), stats, { oomKilled: false, leak: false }).env).toEqual({});
    expect(planSizing(deploy({ env: { GOMEMLIMIT: "923MiB" } }), stats, { oomKilled: false, leak: false }).env).toEqual({ GOMEMLIMIT: "921MiB" });
  });

  it("Node.js in NODE_OPTIONS comes down in place, other options kept", () => {
    const p = planSizing(deploy({ env: { NODE_OPTIONS: "--enable-source-maps --max-old-space-size 1536" } }), stats, { oomKilled: false, leak: false });
    expect(p.env).toEqual({ NODE_OPTIONS: "--enable-source-maps --max-old-space-size 768" });
  });

  it("a ceiling in the command line (which kubectl set env cannot change) gets a limit it fits in", () => {
    const p = planSizing(deploy({ command: ["node", "--max-old-space-size=1000", "server.js"] }), stats, { oomKilled: false, leak: false });
    // 1000Mi / 0.75 = 1333Mi -> 1536Mi
    expect(p.rec.limit).toBe("1536Mi");
    expect(p.env).toEqual({});
    expect(p.rec.basis).toMatch(/set in the command/);
  });

  it("-XX:MaxRAMPercentage above 75 is set to 75", () => {
    const p = planSizing(deploy({ env: { JAVA_TOOL_OPTIONS: "-XX:MaxRAMPercentage=90 -Dfoo=bar" } }), stats, { oomKilled: false, leak: false });
    expect(p.env).toEqual({ JAVA_TOOL_OPTIONS: "-XX:MaxRAMPercentage=75 -Dfoo=bar" });
  });

  it.each<Record<string, string>>([
    { JAVA_OPTS: "-Xmx3g" }, { JAVA_TOOL_OPTIONS: "-Xms4g -Xmx4g" }, { NODE_OPTIONS: "--max-old-space-size=4096" }, { GOMEMLIMIT: "3GiB" }, { JAVA_OPTS: "-XX:MaxRAMPercentage=100" },
  ])("never leaves a ceiling at or above its share of the limit it sets: %o", (env) => {
    for (const p95 of [100, 300, 700, 1500, 3000]) {
      const plan = planSizing(deploy({ env }), flat(p95 * Mi), { oomKilled: false, leak: false });
      const after = heapCeilings({ ...deploy({ env }), env: { ...env, ...plan.env } });
      for (const h of after) expect(h.bytesAt(plan.rec.limitBytes)).toBeLessThanOrEqual((h.runtime === "go" ? 0.9 : 0.75) * plan.rec.limitBytes);
    }
  });
});

describe("the demo fleet's runtimes: one consistent page", () => {
  it("Kafka (-Xms2g -Xmx2g, 8Gi): the cut limit comes with a lower heap, a finding says so, the commands carry both", () => {
    const a = analyzeInput(demoAnalysisInput("prod-us", "kafka", NOW, { days: 30 }));
    expect(a.recommendation!.limitBytes).toBeLessThan(2 * Gi);
    expect(a.findings.map((f) => f.code)).toContain("heap_ceiling_above_recommended_limit");
    expect(a.commands!.env).toMatch(/^kubectl set env statefulset\/kafka -n data -c broker KAFKA_HEAP_OPTS='-Xmx\d+m -Xms\d+m'$/);
    expect(a.commands!.patch).toContain("- name: KAFKA_HEAP_OPTS");
    expect(a.heapCeilings[0]!.recommendedBytes!).toBeLessThanOrEqual(0.75 * a.recommendation!.limitBytes);
  });

  it("JVM -Xmx1g killed at 768Mi: the verdict names the heap, the finding and the fix give the same -Xmx", () => {
    const a = analyzeInput(demoAnalysisInput("prod-eu", "pricing-engine", NOW, { days: 30 }));
    expect(a.summary).toMatch(/^The JVM heap may grow past the limit/);
    const xmx = /-Xmx(\d+)m/.exec(a.commands!.env!)![1];
    const finding = a.findings.find((f) => f.code === "jvm_heap_exceeds_limit")!;
    expect(finding.message).toContain(`-Xmx${xmx}m with a ${a.recommendation!.limit} limit`);
    expect(Number(xmx) * Mi).toBeLessThanOrEqual(0.75 * a.recommendation!.limitBytes);
    expect(a.backtest!.note).toMatch(/Estimate: each kill counts as demand of at least the 768Mi limit/);
  });

  it("a healthy, right-sized container gets no command and no cost line", () => {
    const a = analyzeInput(demoAnalysisInput("prod-eu", "checkout-web", NOW, { days: 30 }));
    expect(a.recommendation!.noChange).toBe(true);
    expect(a.commands).toBeNull();
    expect(a.cost).toBeNull();
    expect(a.summary).toMatch(/sizing is right/);
  });
});

/** A leak: 40Mi/h from 200Mi, killed when it reaches `killAt`, over 3 days of 5-minute samples. */
function leakingPod(killAt = Gi) {
  const t: number[] = [];
  const ws: number[] = [];
  const terms: Termination[] = [];
  let start = NOW - 72 * H;
  for (let x = start; x <= NOW; x += 300) {
    const v = 200 * Mi + ((x - start) / H) * 40 * Mi;
    if (v >= killAt) {
      terms.push({ at: x, reason: "OOMKilled", exitCode: 137 });
      start = x + 60;
      continue;
    }
    t.push(x);
    ws.push(v + ((x / 300) % 3) * Mi);
  }
  return { name: "api-0", t: Float64Array.from(t), workingSet: Float64Array.from(ws), terminations: terms };
}

describe("leaks", () => {
  it("never get a limit below the current one, and the basis says how long it buys", () => {
    // the current limit far above usage: usage alone would cut it
    const c = deploy({ limitBytes: 4 * Gi, requestBytes: 2 * Gi });
    const a = analyzeContainer({ now: NOW, container: c, pods: [leakingPod(4 * Gi)] });
    expect(a.pattern).toBe("leak");
    expect(a.recommendation!.limitBytes).toBeGreaterThanOrEqual(4 * Gi);
    expect(a.recommendation!.basis).toMatch(/at 4\dMi\/h, 4Gi gives about \d+ h between kills — the leak still needs fixing/);
  });

  it("planSizing: a leak's limit equals the current one when usage would cut it", () => {
    const p = planSizing(deploy({ limitBytes: 4 * Gi }), flat(500 * Mi), { oomKilled: false, leak: true });
    expect(p.rec.limitBytes).toBe(4 * Gi);
    expect(planSizing(deploy({ limitBytes: 4 * Gi }), flat(500 * Mi), { oomKilled: false, leak: false }).rec.limitBytes).toBe(768 * Mi);
  });
});

describe("refusing nonsense", () => {
  const pod = leakingPod();
  const c = deploy({ limitBytes: Gi });
  it.each([
    ["percentiles of 0", { mean: 750 * Mi, p50: 0, p95: 0, p99: 0, max: 900 * Mi }],
    ["p95 below p50", { mean: 500 * Mi, p50: 600 * Mi, p95: 400 * Mi, p99: 700 * Mi, max: 900 * Mi }],
    ["p99 above the max", { mean: 500 * Mi, p50: 500 * Mi, p95: 600 * Mi, p99: 950 * Mi, max: 900 * Mi }],
  ])("%s from a metrics source are an error, never a recommendation", (_, stats) => {
    expect(() => analyzeContainer({ now: NOW, container: c, pods: [pod], rawStats: { stats, samples: 1000 } })).toThrow(AnalysisError);
  });

  it("never recommends a limit below the mean or p95", () => {
    const p = planSizing(deploy({}), { mean: 900 * Mi, p50: 100 * Mi, p95: 100 * Mi, p99: 100 * Mi, max: 950 * Mi }, { oomKilled: false, leak: false });
    expect(p.rec.limitBytes).toBeGreaterThanOrEqual(900 * Mi);
  });
});

describe("in-place resize", () => {
  it("offers a resize per running pod, with the version lowering a limit needs", () => {
    const a = analyzeInput(demoAnalysisInput("prod-eu", "ledger-writer", NOW, { days: 30 }));
    expect(a.recommendation!.limitBytes).toBeLessThan(512 * Mi);
    const lines = a.commands!.resize!.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^kubectl patch pod ledger-writer-\S+ -n payments --subresource resize --type=strategic -p '\{"spec":\{"containers":\[\{"name":"writer"/);
    expect(a.commands!.resizeNote).toMatch(/1\.34\+ to lower a memory limit/);
  });

  it("says why there is none when the heap setting changes too", () => {
    const a = analyzeInput(demoAnalysisInput("prod-us", "kafka", NOW, { days: 30 }));
    expect(a.commands!.resize).toBeNull();
    expect(a.commands!.resizeNote).toMatch(/heap setting changes too/);
  });
});

describe("determinism and names", () => {
  it("the same input gives the same output", () => {
    const input = demoAnalysisInput("prod-eu", "payments-api", NOW, { days: 7 });
    const json = JSON.stringify(input);
    expect(JSON.stringify(analyzeInput(parseAnalysisInput(JSON.parse(json))))).toBe(JSON.stringify(analyzeInput(parseAnalysisInput(JSON.parse(json)))));
  });

  it.each([
    ["container.name", { name: "api';touch pwned;'" }],
    ["container.namespace", { name: "api", namespace: "Prod EU" }],
    ["container.workload.name", { name: "api", workload: { kind: "Deployment", name: "$(reboot)" } }],
    ["container.pod", { name: "api", pod: "a`id`" }],
  ])("refuses a name Kubernetes would refuse at %s", (path, container) => {
    const input = { now: NOW, container, series: { workingSet: [[NOW - 60, 1], [NOW, 2]] } };
    expect(() => parseAnalysisInput(input)).toThrow(InputError);
    try {
      parseAnalysisInput(input);
    } catch (e) {
      expect((e as InputError).path).toBe(path);
    }
  });
});
