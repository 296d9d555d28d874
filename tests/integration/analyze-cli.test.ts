import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { demoAnalysisInput } from "@/lib/scenarios/analysis-input";

const NOW = 1_764_900_000;

function analyze(stdin: string, args: string[] = ["-"]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/analyze.ts", ...args], { input: stdin, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const valid = () => demoAnalysisInput("prod-eu", "payments-api", NOW, { days: 3, perPod: false }) as unknown as Record<string, unknown>;

describe("npm run analyze (shared/contracts/analyze-cli.md)", () => {
  it("prints exactly one JSON object with the contract's fields and exits 0", () => {
    const r = analyze(JSON.stringify(valid()));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(["pattern", "confidence", "leakConfidence", "growthBytesPerHour", "timeToOomHours", "usageOfLimit", "alert", "stats", "findings", "recommendation", "cost", "commands", "backtest"]));
    expect(out.pattern).toBe("leak");
    expect(out.commands.kubectl).toMatch(/^kubectl set resources deployment\/payments-api -n payments -c api --limits=memory=\d+(Mi|Gi) --requests=memory=\d+(Mi|Gi)$/);
  });

  it("reads a file and per-pod input", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "analyze-")), "input.json");
    fs.writeFileSync(file, JSON.stringify(demoAnalysisInput("prod-us", "cart-service", NOW, { days: 7 })));
    const r = spawnSync("npm", ["run", "--silent", "analyze", "--", file], { encoding: "utf8" });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.pattern).toBe("limit_too_low");
    expect(out.evidence.pods).toBe(4);
  });

  const bad: [string, () => string, RegExp][] = [
    ["not JSON", () => "{ nope", /^error: input is not JSON/],
    ["missing series.workingSet", () => JSON.stringify({ ...valid(), series: { rss: [] } }), /^error: series\.workingSet: is required/],
    ["a negative value", () => { const v = valid(); (v.series as { workingSet: number[][] }).workingSet[3]![1] = -5; return JSON.stringify(v); }, /^error: series\.workingSet\[3\]\[1\]: value must not be negative/],
    ["a non-finite value", () => JSON.stringify(valid()).replace(/\[(\d+),(\d+)\]/, "[$1,\"NaN\"]"), /^error: series\.workingSet\[0\]\[1\]: value must be a finite number/],
    ["timestamps out of order", () => { const v = valid(); const ws = (v.series as { workingSet: number[][] }).workingSet; [ws[5], ws[6]] = [ws[6]!, ws[5]!]; return JSON.stringify(v); }, /^error: series\.workingSet\[6\]\[0\]: timestamps must be in ascending order/],
    ["no container name", () => JSON.stringify({ ...valid(), container: { limitBytes: 1 } }), /^error: container\.name: is required/],
    ["no now", () => JSON.stringify({ ...valid(), now: "soon" }), /^error: now: is required/],
  ];
  it.each(bad)("rejects %s with one error line and exit 2", (_name, input, message) => {
    const r = analyze(input());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("rejects a missing file and a wrong usage with exit 2", () => {
    expect(analyze("", ["/no/such/file.json"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: cannot read \/no\/such\/file\.json: ENOENT/) });
    expect(analyze("", [])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: usage:/) });
  });
});
