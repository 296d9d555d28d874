// The `analyze` input checks (contract: bad input is refused with the field it is about, never half
// analysed): each check with the exact path and words the user reads, and the input it lets through.
import { describe, expect, it } from "vitest";
import { InputError, parseAnalysisInput } from "@/lib/analysis";

const NOW = 1_764_900_000;
const ok = (extra: Record<string, unknown> = {}) => ({ now: NOW, container: { name: "app" }, series: { workingSet: [[NOW - 60, 1], [NOW, 2]] }, ...extra });
const container = (c: Record<string, unknown>) => ok({ container: { name: "app", ...c } });
const series = (workingSet: unknown, extra: Record<string, unknown> = {}) => ok({ series: { workingSet, ...extra } });

function refused(input: unknown): string {
  try {
    parseAnalysisInput(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return `${(e as InputError).path} | ${(e as Error).message}`;
  }
  throw new Error("accepted");
}

describe("the top level", () => {
  it.each([null, [], "x", 3])("%j is not an object", (raw) => {
    expect(refused(raw)).toBe("(root) | (root): must be a JSON object");
  });

  it.each([undefined, "1764900000", Number.NaN, Infinity])("now %s is refused", (now) => {
    expect(refused(ok({ now }))).toBe("now | now: is required: the moment of analysis in unix seconds");
  });

  it.each([undefined, null, [], "app"])("container %j is refused", (c) => {
    expect(refused(ok({ container: c }))).toBe("container | container: is required: an object with at least name");
  });

  it.each([undefined, 5, ""])("container name %j is refused", (name) => {
    expect(refused(ok({ container: { name } }))).toBe("container.name | container.name: is required: the container name");
  });
});

describe("the container", () => {
  it("workload: an object or nothing; replicas a non-negative integer", () => {
    expect(refused(container({ workload: "api" }))).toBe("container.workload | container.workload: must be an object {kind, name, replicas}");
    expect(refused(container({ workload: [] }))).toBe("container.workload | container.workload: must be an object {kind, name, replicas}");
    for (const replicas of [-1, 1.5, "3"]) {
      expect(refused(container({ workload: { kind: "Deployment", name: "api", replicas } }))).toBe("container.workload.replicas | container.workload.replicas: must be a non-negative integer");
    }
    expect(parseAnalysisInput(container({ workload: { kind: "Deployment", name: "api", replicas: 0 } })).container.workload).toEqual({ kind: "Deployment", name: "api", replicas: 0 });
    expect(parseAnalysisInput(container({ workload: { kind: 3, name: null } })).container.workload).toEqual({ kind: null, name: null, replicas: null });
    expect(parseAnalysisInput(container({ workload: null })).container.workload).toBeNull();
  });

  it("env: an object of strings", () => {
    for (const env of [["A=1"], { A: 1 }, { A: "1", B: 2 }, "A=1"]) expect(refused(container({ env }))).toBe("container.env | container.env: must be an object of strings");
    expect(parseAnalysisInput(container({ env: { A: "1" } })).container.env).toEqual({ A: "1" });
    expect(parseAnalysisInput(container({ env: null })).container.env).toBeNull();
    expect(refused(container({ env: { "A B": "1" } }))).toBe("container.env.A B | container.env.A B: is not a valid environment variable name");
  });

  it("command and args: arrays of strings", () => {
    expect(refused(container({ command: "java -jar x" }))).toBe("container.command | container.command: must be an array of strings");
    expect(refused(container({ command: ["java", 1] }))).toBe("container.command | container.command: must be an array of strings");
    expect(refused(container({ args: [null] }))).toBe("container.args | container.args: must be an array of strings");
    const c = parseAnalysisInput(container({ command: ["java"], args: [] })).container;
    expect(c.command).toEqual(["java"]);
    expect(c.args).toEqual([]);
  });

  it("request and limit: a non-negative finite number of bytes, or null", () => {
    expect(refused(container({ requestBytes: "512Mi" }))).toBe("container.requestBytes | container.requestBytes: must be a finite number of bytes or null");
    expect(refused(container({ limitBytes: Infinity }))).toBe("container.limitBytes | container.limitBytes: must be a finite number of bytes or null");
    expect(refused(container({ limitBytes: -1 }))).toBe("container.limitBytes | container.limitBytes: must not be negative");
    const c = parseAnalysisInput(container({ requestBytes: 0, limitBytes: null })).container;
    expect(c.requestBytes).toBe(0);
    expect(c.limitBytes).toBeNull();
  });

  it("text fields that are not strings read as absent", () => {
    const c = parseAnalysisInput(container({ cluster: 1, namespace: "shop", pod: ["x"], image: "app:1" })).container;
    expect(c).toEqual({
      cluster: null, namespace: "shop", pod: null, name: "app", image: "app:1", workload: null, command: null, args: null, env: null, requestBytes: null, limitBytes: null,
    });
  });
});

describe("series", () => {
  it("the working set is required, as an array of pairs", () => {
    expect(refused(ok({ series: undefined }))).toBe("series | series: is required: an object with workingSet");
    expect(refused(ok({ series: [] }))).toBe("series | series: is required: an object with workingSet");
    expect(refused(series(undefined))).toBe("series.workingSet | series.workingSet: is required: [[unix seconds, bytes], ...]");
    expect(refused(series({}))).toBe("series.workingSet | series.workingSet: must be an array of [unix seconds, bytes] pairs");
    for (const bad of [[NOW], [NOW, 1, 2], "x"]) {
      expect(refused(series([[NOW - 60, 1], bad]))).toBe("series.workingSet[1] | series.workingSet[1]: must be a [unix seconds, bytes] pair");
    }
    expect(parseAnalysisInput(series([])).series!.workingSet).toEqual([]);
  });

  it("timestamps: finite numbers in strictly ascending order", () => {
    expect(refused(series([["1764900000", 1]]))).toBe("series.workingSet[0][0] | series.workingSet[0][0]: timestamp must be a finite number of unix seconds");
    expect(refused(series([[Number.NaN, 1]]))).toBe("series.workingSet[0][0] | series.workingSet[0][0]: timestamp must be a finite number of unix seconds");
    expect(refused(series([[60, 1], [60, 2]]))).toBe("series.workingSet[1][0] | series.workingSet[1][0]: timestamps must be in ascending order (60 follows 60)");
    expect(refused(series([[60, 1], [120, 2], [90, 3]]))).toBe("series.workingSet[2][0] | series.workingSet[2][0]: timestamps must be in ascending order (90 follows 120)");
    expect(parseAnalysisInput(series([[-5, 1], [0, 1]])).series!.workingSet).toEqual([[-5, 1], [0, 1]]);
  });

  it("values: finite non-negative numbers; Prometheus' numeric strings are read as numbers", () => {
    expect(parseAnalysisInput(series([[60, "293601280"], [120, 0], [180, " 5 "]])).series!.workingSet).toEqual([[60, 293601280], [120, 0], [180, 5]]);
    for (const v of [null, "abc", "", " ", Infinity]) {
      expect(refused(series([[60, v]]))).toBe("series.workingSet[0][1] | series.workingSet[0][1]: value must be a finite number of bytes");
    }
    expect(refused(series([[60, -1]]))).toBe("series.workingSet[0][1] | series.workingSet[0][1]: value must not be negative");
    expect(refused(series([[60, "-1"]]))).toBe("series.workingSet[0][1] | series.workingSet[0][1]: value must not be negative");
  });

  it("rss and cache are optional, checked the same way when given", () => {
    const s = parseAnalysisInput(series([[60, 1]], { rss: [[60, "2"]], cache: null })).series!;
    expect(s).toEqual({ workingSet: [[60, 1]], rss: [[60, 2]], cache: null });
    expect(refused(series([[60, 1]], { rss: "x" }))).toBe("series.rss | series.rss: must be an array of [unix seconds, bytes] pairs");
    expect(refused(series([[60, 1]], { cache: [[60, -3]] }))).toBe("series.cache[0][1] | series.cache[0][1]: value must not be negative");
  });
});

describe("terminations", () => {
  const term = (t: unknown) => ok({ terminations: t });
  it("an array of {at, reason, exitCode}", () => {
    expect(refused(term({}))).toBe("terminations | terminations: must be an array of terminations");
    expect(refused(term(["OOMKilled"]))).toBe("terminations[0] | terminations[0]: must be an object {at, reason, exitCode}");
    expect(refused(term([{ at: NOW, reason: "OOMKilled" }, []]))).toBe("terminations[1] | terminations[1]: must be an object {at, reason, exitCode}");
    expect(refused(term([{ at: "now", reason: "OOMKilled" }]))).toBe("terminations[0].at | terminations[0].at: must be a finite number of unix seconds");
    expect(refused(term([{ at: Infinity, reason: "OOMKilled" }]))).toBe("terminations[0].at | terminations[0].at: must be a finite number of unix seconds");
    expect(refused(term([{ at: NOW, reason: 137 }]))).toBe('terminations[0].reason | terminations[0].reason: must be a string such as "OOMKilled"');
    for (const exitCode of [1.5, "137"]) expect(refused(term([{ at: NOW, reason: "OOMKilled", exitCode }]))).toBe("terminations[0].exitCode | terminations[0].exitCode: must be an integer");
  });

  it("exit codes may be absent; absent terminations are none", () => {
    expect(parseAnalysisInput(term([{ at: NOW, reason: "OOMKilled", exitCode: 137 }, { at: NOW, reason: "Error", exitCode: null }, { at: NOW, reason: "" }])).terminations).toEqual([
      { at: NOW, reason: "OOMKilled", exitCode: 137 }, { at: NOW, reason: "Error", exitCode: null }, { at: NOW, reason: "", exitCode: null },
    ]);
    expect(parseAnalysisInput(term(null)).terminations).toEqual([]);
    expect(parseAnalysisInput(ok()).terminations).toEqual([]);
  });
});

describe("pods", () => {
  const pod = (extra: Record<string, unknown> = {}) => ({ name: "api-1", series: { workingSet: [[NOW, 1]] }, ...extra });
  it("a non-empty array of pods, each with its own series and terminations", () => {
    for (const pods of [[], {}, "api-1"]) expect(refused(ok({ pods }))).toBe("pods | pods: must be a non-empty array of {name, series, terminations}");
    expect(refused(ok({ pods: [pod(), null] }))).toBe("pods[1] | pods[1]: must be an object {name, series, terminations}");
    expect(refused(ok({ pods: [pod({ name: 7 })] }))).toBe("pods[0].name | pods[0].name: must be a string");
    expect(refused(ok({ pods: [pod({ series: null })] }))).toBe("pods[0].series | pods[0].series: is required: an object with workingSet");
    expect(refused(ok({ pods: [pod({ series: { workingSet: [[NOW, -1]] } })] }))).toBe("pods[0].series.workingSet[0][1] | pods[0].series.workingSet[0][1]: value must not be negative");
    expect(refused(ok({ pods: [pod({ terminations: [{ at: NOW }] })] }))).toBe("pods[0].terminations[0].reason | pods[0].terminations[0].reason: must be a string such as \"OOMKilled\"");
    expect(refused(ok({ pods: [pod(), pod({ name: "Api_2" })] }))).toBe("pods[1].name | pods[1].name: is not a valid Kubernetes pod name (lower-case letters, digits, '-' and '.')");
  });

  it("replace the single series: a pod without a name is numbered; the top-level series is then ignored", () => {
    const input = parseAnalysisInput(ok({ series: "ignored", terminations: "ignored", pods: [pod({ terminations: [{ at: NOW, reason: "OOMKilled", exitCode: 137 }] }), pod({ name: null })] }));
    expect(input.series).toBeNull();
    expect(input.terminations).toBeNull();
    expect(input.pods).toEqual([
      { name: "api-1", series: { workingSet: [[NOW, 1]], rss: null, cache: null }, terminations: [{ at: NOW, reason: "OOMKilled", exitCode: 137 }] },
      { name: "pod-1", series: { workingSet: [[NOW, 1]], rss: null, cache: null }, terminations: [] },
    ]);
    expect(parseAnalysisInput(ok({ pods: null })).pods).toBeNull();
  });
});

describe("pricing", () => {
  it("an object with a non-negative price, or nothing", () => {
    for (const pricing of ["3.2", [3.2]]) expect(refused(ok({ pricing }))).toBe("pricing | pricing: must be an object {currency, perGiBMonth}");
    for (const perGiBMonth of [-0.01, "3.2", Infinity]) expect(refused(ok({ pricing: { perGiBMonth } }))).toBe("pricing.perGiBMonth | pricing.perGiBMonth: must be a non-negative number");
    expect(parseAnalysisInput(ok({ pricing: { currency: "EUR", perGiBMonth: 0 } })).pricing).toEqual({ currency: "EUR", perGiBMonth: 0 });
    expect(parseAnalysisInput(ok({ pricing: { currency: 1 } })).pricing).toEqual({ currency: null, perGiBMonth: null });
    expect(parseAnalysisInput(ok({ pricing: null })).pricing).toBeNull();
    expect(parseAnalysisInput(ok()).pricing).toBeNull();
  });

  it("returns the moment of analysis as given", () => {
    expect(parseAnalysisInput(ok()).now).toBe(NOW);
  });
});
