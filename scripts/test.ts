// npm test — typecheck, lint, unit + integration (vitest, real Postgres) under this Node and again under
// Node 24 (the npm registry's `node` package), end-to-end (Playwright, Debian's Chromium).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "headroom-test-"));
const vitestJson = path.join(tmp, "vitest.json");
const playwrightJson = path.join(tmp, "playwright.json");
const vitest24Json = path.join(tmp, "vitest-node24.json");

interface Step {
  name: string;
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  /** Why the step cannot run on this machine (it is reported as skipped, or failed under CI). */
  unavailable?: string;
}

const NODE_24 = "24";

/** The binary of Node `major` from the npm registry's `node` package (fetched once by npx), or why it could not be had. */
function registryNode(major: string): { bin: string } | { error: string } {
  const r = spawnSync("npx", ["-y", "-p", `node@${major}`, "node", "-p", "process.execPath + ' ' + process.versions.node"], { encoding: "utf8", timeout: 600_000 });
  const [bin, version] = (r.stdout ?? "").trim().split("\n").pop()!.split(" ");
  if (r.status !== 0 || !bin || !version?.startsWith(`${major}.`)) {
    return { error: `could not fetch Node ${major} from the npm registry (npx -p node@${major}): ${(r.stderr || r.error?.message || `got ${version ?? "nothing"}`).trim().split("\n").slice(-3).join(" ")}` };
  }
  return { bin };
}

/** The unit and integration suites again under Node 24, with that Node first on PATH so the servers the tests start run on it too. */
function node24Step(): Step {
  const name = `unit + integration (Node ${NODE_24})`;
  const node = registryNode(NODE_24);
  if ("error" in node) return { name, cmd: "", args: [], unavailable: node.error };
  return {
    name,
    cmd: node.bin,
    args: [path.join("node_modules", "vitest", "vitest.mjs"), "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitest24Json}`],
    env: { PATH: `${path.dirname(node.bin)}${path.delimiter}${process.env.PATH ?? ""}` },
  };
}

const steps: Step[] = [
  { name: "typecheck", cmd: bin("tsc"), args: ["--noEmit", "-p", "."] },
  { name: "lint", cmd: bin("eslint"), args: [".", "--max-warnings=0"] },
  { name: "unit + integration", cmd: bin("vitest"), args: ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`] },
  node24Step(),
  { name: "end-to-end", cmd: bin("playwright"), args: ["test"], env: { PW_JSON: playwrightJson } },
];

// an error nobody awaited (a server handler after its test, a rejected promise) fails the run even when
// every test passed: the runners print these, so the output is read as it streams by
const UNHANDLED = /Unhandled (Error|Rejection)|unhandledRejection|uncaughtException|Vitest caught \d+ unhandled error/;

/** Runs a step with its output streamed through, and says whether it printed an unhandled error. */
function run(step: Step): Promise<{ status: number | null; unhandled: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(step.cmd, step.args, { stdio: ["inherit", "pipe", "pipe"], env: { ...process.env, ...step.env } });
    const unhandled: string[] = [];
    const scan = (target: NodeJS.WriteStream) => {
      let partial = "";
      return (chunk: Buffer) => {
        target.write(chunk);
        const lines = (partial + chunk.toString()).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) if (UNHANDLED.test(line)) unhandled.push(line.replace(/\x1b\[[0-9;]*m/g, "").trim());
      };
    };
    child.stdout!.on("data", scan(process.stdout));
    child.stderr!.on("data", scan(process.stderr));
    child.on("close", (status) => resolve({ status, unhandled }));
  });
}

const results: { name: string; ok: boolean; exitOk: boolean; seconds: number; unhandled: string[]; skipped?: string }[] = [];
for (const step of steps) {
  console.log(`\n━━ ${step.name} ━━`);
  if (step.unavailable) {
    // CI must prove the supported runtimes: there a missing Node 24 is a failure, on a laptop a notice
    console.log(step.unavailable);
    results.push({ name: step.name, ok: !process.env.CI, exitOk: !process.env.CI, seconds: 0, unhandled: [], skipped: step.unavailable });
    continue;
  }
  const t0 = Date.now();
  const r = await run(step);
  results.push({ name: step.name, ok: r.status === 0 && r.unhandled.length === 0, exitOk: r.status === 0, seconds: (Date.now() - t0) / 1000, unhandled: r.unhandled });
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}
interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults?: { name: string; message?: string; assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[] }[];
}
interface PlaywrightSuite {
  title: string;
  file?: string;
  specs?: { title: string; line?: number; tests?: { status: string }[] }[];
  suites?: PlaywrightSuite[];
}
const v = readJson<VitestReport>(vitestJson);
const v24 = readJson<VitestReport>(vitest24Json);
const p = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number }; suites?: PlaywrightSuite[] }>(playwrightJson);

/** Each failed vitest test as "file › name: first line of the message" (a file that failed to load counts as one). */
function vitestFailures(report: VitestReport | null): string[] {
  const out: string[] = [];
  for (const file of report?.testResults ?? []) {
    const rel = path.relative(process.cwd(), file.name);
    const failed = (file.assertionResults ?? []).filter((a) => a.status === "failed");
    for (const a of failed) out.push(`${rel} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    if (!failed.length && file.message) out.push(`${rel}: ${firstLine(file.message)}`);
  }
  return out;
}
/** Each Playwright test whose outcome was unexpected, as "file:line › title". */
function playwrightFailures(suites: PlaywrightSuite[] | undefined, file = ""): string[] {
  const out: string[] = [];
  for (const s of suites ?? []) {
    const f = s.file ?? file;
    for (const spec of s.specs ?? []) if (spec.tests?.some((t) => t.status === "unexpected")) out.push(`tests/e2e/${f}:${spec.line ?? "?"} › ${spec.title}`);
    out.push(...playwrightFailures(s.suites, f));
  }
  return out;
}
function firstLine(message: string | undefined): string {
  return (message ?? "").replace(/\x1b\[[0-9;]*m/g, "").split("\n").find((l) => l.trim())?.trim().slice(0, 200) ?? "";
}
/** Each test suite's report: how many failed, and which. */
const reports = [
  { name: "unit + integration", failed: v?.numFailedTests, which: vitestFailures(v) },
  { name: `unit + integration (Node ${NODE_24})`, failed: v24?.numFailedTests, which: vitestFailures(v24) },
  { name: "end-to-end", failed: p?.stats.unexpected, which: playwrightFailures(p?.suites) },
];
fs.rmSync(tmp, { recursive: true, force: true });
// a step whose report counts a failed test failed, whatever its exit code said
for (const { name, failed } of reports) {
  const r = results.find((x) => x.name === name);
  if (r && failed) r.ok = false;
}

console.log("\n━━ summary ━━");
for (const r of results) {
  if (r.skipped) {
    console.log(`${r.ok ? "skip" : "FAIL"} ${r.name.padEnd(32)} — ${r.skipped}${r.ok ? "" : " (CI=true: the supported runtimes must be tested)"}`);
    continue;
  }
  console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name.padEnd(32)} ${r.seconds.toFixed(1)} s${r.unhandled.length ? ` — ${r.unhandled.length} unhandled error line(s): ${r.unhandled[0]}` : ""}`);
}
// the failed tests by name, so the last lines of a long run say what to look at
for (const { name, which } of reports) {
  if (!which.length) continue;
  console.log(`\nfailed in ${name}:`);
  for (const f of which.slice(0, 20)) console.log(`  ✗ ${f}`);
  if (which.length > 20) console.log(`  … and ${which.length - 20} more`);
}
const unhandled = results.reduce((n, r) => n + (r.unhandled.length ? 1 : 0), 0);
const checksFailed = results.filter((r) => !r.ok && (r.name === "typecheck" || r.name === "lint" || r.skipped)).length;
const passed = (v?.numPassedTests ?? 0) + (v24?.numPassedTests ?? 0) + (p ? p.stats.expected + p.stats.flaky : 0);
// a suite that failed without reporting a failed test (crashed, or its setup failed) counts as one failure
const suiteFailed = (name: string, reported: number | undefined) => (results.find((r) => r.name === name)?.exitOk === false && !reported ? 1 : 0);
const failed = reports.reduce((n, r) => n + (r.failed ?? 0) + suiteFailed(r.name, r.failed), 0) + checksFailed + unhandled;
const skipped = (v?.numPendingTests ?? 0) + (v24?.numPendingTests ?? 0) + (p?.stats.skipped ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(results.every((r) => r.ok) && failed === 0 ? 0 : 1);
