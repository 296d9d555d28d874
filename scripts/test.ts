// npm test — typecheck, lint, unit + integration (vitest, real Postgres), end-to-end (Playwright, Debian's Chromium).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "headroom-test-"));
const vitestJson = path.join(tmp, "vitest.json");
const playwrightJson = path.join(tmp, "playwright.json");

interface Step {
  name: string;
  cmd: string;
  args: string[];
  env?: Record<string, string>;
}

const steps: Step[] = [
  { name: "typecheck", cmd: bin("tsc"), args: ["--noEmit", "-p", "."] },
  { name: "lint", cmd: bin("eslint"), args: [".", "--max-warnings=0"] },
  { name: "unit + integration", cmd: bin("vitest"), args: ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`] },
  { name: "end-to-end", cmd: bin("playwright"), args: ["test"], env: { PW_JSON: playwrightJson } },
];

const results: { name: string; ok: boolean; seconds: number }[] = [];
for (const step of steps) {
  console.log(`\n━━ ${step.name} ━━`);
  const t0 = Date.now();
  const r = spawnSync(step.cmd, step.args, { stdio: "inherit", env: { ...process.env, ...step.env } });
  results.push({ name: step.name, ok: r.status === 0, seconds: (Date.now() - t0) / 1000 });
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}
const v = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number }>(vitestJson);
const p = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(playwrightJson);
fs.rmSync(tmp, { recursive: true, force: true });

console.log("\n━━ summary ━━");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name.padEnd(20)} ${r.seconds.toFixed(1)} s`);
const checksFailed = results.filter((r) => !r.ok && (r.name === "typecheck" || r.name === "lint")).length;
const passed = (v?.numPassedTests ?? 0) + (p ? p.stats.expected + p.stats.flaky : 0);
// a suite that failed without reporting a failed test (crashed, or its setup failed) counts as one failure
const suiteFailed = (name: string, reported: number | undefined) => (results.find((r) => r.name === name)?.ok === false && !reported ? 1 : 0);
const failed =
  (v?.numFailedTests ?? 0) + (p?.stats.unexpected ?? 0) + checksFailed +
  suiteFailed("unit + integration", v?.numFailedTests) + suiteFailed("end-to-end", p?.stats.unexpected);
const skipped = (v?.numPendingTests ?? 0) + (p?.stats.skipped ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(results.every((r) => r.ok) && failed === 0 ? 0 : 1);
