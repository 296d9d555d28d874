import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeInput, type ContainerInput } from "@/lib/analysis";
import { fixCommands } from "@/lib/analysis/commands";
import { profilingFinding } from "@/lib/analysis/findings";
import { demoAnalysisInput } from "@/lib/scenarios/analysis-input";

const NOW = 1_764_900_000;
const REAL_KUBECTL = execFileSync("sh", ["-c", "command -v kubectl || true"], { encoding: "utf8" }).trim();
if (!REAL_KUBECTL && process.env.CI) throw new Error("kubectl is required for these tests (npm test installs Debian's kubernetes-client)");
const root = fs.mkdtempSync(path.join(os.tmpdir(), "headroom-shell-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A directory with stub programs that record their arguments (one file per call, NUL-separated) instead of running. */
function recordingBin(names: string[]) {
  const dir = fs.mkdtempSync(path.join(root, "bin-"));
  const log = path.join(dir, "calls");
  fs.mkdirSync(log);
  for (const n of names) {
    fs.writeFileSync(path.join(dir, n), `#!/bin/sh\nf="${log}/$$-$(date +%s%N)-${n}"\nprintf '%s\\0' "${n}" "$@" > "$f"\n`, { mode: 0o755 });
  }
  const calls = () => fs.readdirSync(log).sort().map((f) => fs.readFileSync(path.join(log, f), "utf8").split("\0").slice(0, -1));
  return { dir, calls };
}

/** Runs `command` with a POSIX shell in a fresh directory, with `bin` first on PATH; returns the directory. */
function runInShell(command: string, bin: string, mustSucceed = false): string {
  const cwd = fs.mkdtempSync(path.join(root, "cwd-"));
  const r = spawnSync("/bin/sh", ["-c", command], { cwd, env: { ...process.env, PATH: `${bin}:/usr/bin:/bin`, HOME: cwd }, encoding: "utf8", timeout: 10_000 });
  expect(r.error).toBeUndefined();
  if (mustSucceed) expect(r.status, `${command}\n${r.stderr}`).toBe(0);
  return cwd;
}

const HOSTILE = ["api';touch pwned;'", "a$(touch pwned)", "b`touch pwned`", 'c"; touch pwned; "', "d\ntouch pwned", "e;touch pwned", "f && touch pwned", "g|touch pwned", "h'\\''x"];

describe("every printed command is safe to paste into a POSIX shell", () => {
  const rec = { profile: "stateless" as const, requestBytes: 512 * 1048576, limitBytes: 1024 * 1048576, request: "512Mi", limit: "1Gi", basis: "", noChange: false };

  it.each(HOSTILE)("a name like %j reaches kubectl as one intact argument and runs nothing else", (name) => {
    const c: ContainerInput = {
      name, namespace: name, workload: { kind: "Deployment", name, replicas: 2 }, image: "golang", env: { GOMEMLIMIT: "1GiB" }, requestBytes: 256 * 1048576, limitBytes: 2048 * 1048576,
    };
    const fix = fixCommands(c, rec, { env: { JAVA_OPTS: `-Xmx768m ${name}` }, runningPods: [name] });
    const resize = fixCommands(c, rec, { runningPods: [name, "other"] }).resize;
    expect(resize).toMatch(/^kubectl patch pod /);
    const commands = [fix.kubectl!, fix.env!, fix.kubectlPatch!, resize!];
    for (const lang of [{ image: "golang" }, { image: "openjdk" }, { image: "python" }, { image: "node:20" }, { image: "busybox" }]) {
      const cmd = profilingFinding({ ...c, ...lang, env: null }, name).command!;
      commands.push(cmd.replace(/ & go tool/, " ; go tool")); // no background job in a test
    }
    for (const command of commands) {
      const bin = recordingBin(["kubectl", "go"]);
      const cwd = runInShell(command, bin.dir);
      expect(fs.readdirSync(cwd), command).toEqual([]); // nothing was created: no `touch` ran
      const calls = bin.calls();
      expect(calls.length, command).toBeGreaterThan(0);
      expect(calls.every((args) => args[0] === "kubectl" || args[0] === "go"), command).toBe(true);
      // the hostile value arrived whole, as (part of) one argument
      expect(calls.flat().some((a) => a.includes(name)), command).toBe(true);
    }
  });
});

describe.runIf(REAL_KUBECTL || process.env.CI)("the commands, pasted into a shell, are accepted by a real kubectl", () => {
  /** A kubectl on PATH that runs the real one offline against `manifest` and keeps its output. */
  function offlineKubectl(manifest: string) {
    const dir = fs.mkdtempSync(path.join(root, "kubectl-"));
    const out = path.join(dir, "out.json");
    fs.writeFileSync(path.join(dir, "manifest.json"), manifest);
    // drop the workload reference and the namespace: --local -f takes the object from the file
    fs.writeFileSync(
      path.join(dir, "kubectl"),
      `#!${process.execPath}
const args = process.argv.slice(2);
const keep = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "-n") { i++; continue; }
  if (/^[a-z]+\\/[a-z0-9.-]+$/.test(args[i])) continue;
  keep.push(args[i]);
}
const r = require("node:child_process").spawnSync(${JSON.stringify(REAL_KUBECTL)}, [...keep, "--local", "-f", ${JSON.stringify(path.join(dir, "manifest.json"))}, "-o", "json"], { encoding: "utf8" });
if (r.status !== 0) { process.stderr.write(r.stderr); process.exit(r.status ?? 1); }
require("node:fs").writeFileSync(${JSON.stringify(out)}, r.stdout);
require("node:fs").writeFileSync(${JSON.stringify(path.join(dir, "manifest.json"))}, r.stdout);
`,
      { mode: 0o755 },
    );
    return { dir, result: () => JSON.parse(fs.readFileSync(out, "utf8")) };
  }

  it.each([["prod-us", "kafka"], ["prod-eu", "pricing-engine"], ["prod-us", "fraud-scorer"], ["prod-eu", "payments-api"]])("%s/%s", (cluster, workload) => {
    const input = demoAnalysisInput(cluster, workload, NOW, { days: 30 });
    const out = analyzeInput(input);
    const c = input.container;
    const kind = c.workload!.kind!;
    const manifest = JSON.stringify({
      apiVersion: "apps/v1", kind, metadata: { name: c.workload!.name, namespace: c.namespace },
      spec: {
        selector: { matchLabels: { app: "x" } }, ...(kind === "StatefulSet" ? { serviceName: "x" } : {}),
        template: { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: c.name, image: "x:1", env: Object.entries(c.env ?? {}).map(([name, value]) => ({ name, value })) }] } },
      },
    });
    const spec = (o: { spec: { template: { spec: { containers: { resources: unknown; env?: { name: string; value: string }[] }[] } } } }) => o.spec.template.spec.containers[0]!;
    const kubectl = offlineKubectl(manifest);
    runInShell(out.commands!.kubectl!, kubectl.dir, true);
    expect(spec(kubectl.result()).resources).toEqual({ requests: { memory: out.recommendation!.request }, limits: { memory: out.recommendation!.limit } });
    if (out.commands!.env) {
      runInShell(out.commands!.env, kubectl.dir, true);
      const env = Object.fromEntries(spec(kubectl.result()).env!.map((e) => [e.name, e.value]));
      const changed = out.heapCeilings.find((h) => h.lowered)!;
      expect(env[changed.variable!]).toMatch(/-Xmx\d+m/);
      expect(env[changed.variable!]).not.toBe(c.env![changed.variable!]);
    }
    runInShell(out.commands!.kubectlPatch!, kubectl.dir, true);
    const patched = spec(kubectl.result());
    expect(patched.resources).toEqual({ requests: { memory: out.recommendation!.request }, limits: { memory: out.recommendation!.limit } });
    for (const h of out.heapCeilings.filter((x) => x.lowered)) expect(patched.env!.find((e) => e.name === h.variable)!.value).not.toBe(c.env![h.variable!]);
  });
});
