import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = process.cwd();
const nextBin = path.join(root, "node_modules", ".bin", "next");
const SOURCE_DIRS = ["app", "components", "lib", "db", "types"];
const SOURCE_FILES = ["next.config.ts", "package-lock.json", "postcss.config.mjs", "tsconfig.json"];

function newestMtime(p: string): number {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, e)));
  return max;
}

/** Builds the app with `next build` unless .next is newer than every source file (or `force`). */
export function buildApp(opts: { force?: boolean; quiet?: boolean } = {}) {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const built = fs.statSync(buildId, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(...SOURCE_DIRS.map((d) => newestMtime(path.join(root, d))), ...SOURCE_FILES.map((f) => newestMtime(path.join(root, f))));
  if (!opts.force && built > sources) return;
  console.log("Building the app (next build)… this takes a minute or two the first time.");
  const r = spawnSync(nextBin, ["build"], { stdio: opts.quiet ? ["ignore", "ignore", "inherit"] : "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status})`);
}

/** The session-signing secret: NEXTAUTH_SECRET, or one generated once and kept in .data/. */
/** The session-signing secret: NEXTAUTH_SECRET, or one generated once into .data/nextauth-secret. */
export function loadSecret(): string {
  return process.env.NEXTAUTH_SECRET ?? secretFile("nextauth-secret", () => crypto.randomBytes(32).toString("base64url"));
}

/** The key that encrypts stored credentials: HEADROOM_SECRET_KEY, or 32 random bytes generated once into .data/secret-key. */
export function loadSecretKey(): string {
  return process.env.HEADROOM_SECRET_KEY ?? secretFile("secret-key", () => crypto.randomBytes(32).toString("base64"));
}

function secretFile(name: string, generate: () => string): string {
  const file = path.join(root, ".data", name);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, generate(), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

export interface RunningApp {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `next start` on host:port with the database and secret, and waits until /api/health answers ok. */
export async function startApp(opts: { databaseUrl: string; port: number; host?: string; secret: string; quiet?: boolean; env?: Record<string, string>; requireHealthy?: boolean }): Promise<RunningApp> {
  const host = opts.host ?? "127.0.0.1";
  const url = `http://${host}:${opts.port}`;
  const child = spawn(nextBin, ["start", "-H", host, "-p", String(opts.port)], {
    stdio: opts.quiet ? ["ignore", "ignore", "inherit"] : ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      ...opts.env,
      DATABASE_URL: opts.databaseUrl,
      NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? url,
      NEXTAUTH_SECRET: opts.secret,
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
    },
  });
  let exited = false;
  child.on("exit", () => (exited = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error("the app exited before it became healthy");
    try {
      const res = await fetch(`${url}/api/health`);
      // requireHealthy: false accepts a degraded answer (tests of the 503 path)
      if (res.ok || opts.requireHealthy === false) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`the app did not become healthy at ${url} within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      }),
  };
}
