import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { freePort } from "@/db/embedded";
import type { FleetCluster } from "@/lib/scenarios/demo-fleet";
import { prometheusText, type ExportOptions } from "@/lib/scenarios/openmetrics";
import { startServerProcess } from "./server-process";

/** A real VictoriaMetrics (Debian's package, single-node) holding scenario series imported over its HTTP API. */
export interface RunningVictoriaMetrics {
  url: string;
  samples: number;
  dir: string;
  stop(): Promise<void>;
}

export const VICTORIA_METRICS_BIN = "/usr/bin/victoria-metrics";

export function victoriaMetricsAvailable(): string | null {
  return fs.existsSync(VICTORIA_METRICS_BIN) ? null : `${VICTORIA_METRICS_BIN} is not installed (apt-get install -y victoria-metrics)`;
}

/** The version VictoriaMetrics reports (its buildinfo API answers no version), e.g. "1.79.5". */
export function victoriaMetricsVersion(): string | null {
  const out = spawnSync(VICTORIA_METRICS_BIN, ["-version"], { encoding: "utf8" });
  return /v(\d+\.\d+\.\d+)/.exec(`${out.stdout}${out.stderr}`)?.[1] ?? null;
}

/** Starts VictoriaMetrics on a free loopback port with its own storage in a temp dir, and imports the fleet's history. */
export async function startVictoriaMetrics(fleet: FleetCluster[], opts: ExportOptions & { dir?: string }): Promise<RunningVictoriaMetrics> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "headroom-vm-"));
  const vm = await serveVictoriaMetrics(dir);
  try {
    const samples = await importFleet(vm.url, fleet, opts);
    return { ...vm, samples };
  } catch (e) {
    await vm.stop();
    throw e;
  }
}

/**
 * Imports the fleet's series through `/api/v1/import/prometheus` (the text format with millisecond
 * timestamps, streamed), then flushes them so the next query sees every sample; returns the count.
 */
export async function importFleet(url: string, fleet: FleetCluster[], opts: ExportOptions): Promise<number> {
  const samples = await new Promise<number>((resolve, reject) => {
    const req = http.request(`${url}/api/v1/import/prometheus`, { method: "POST", headers: { "content-type": "text/plain" } });
    let count = 0;
    req.on("error", reject);
    req.on("response", (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => (res.statusCode === 204 || res.statusCode === 200 ? resolve(count) : reject(new Error(`import failed: HTTP ${res.statusCode} ${body.slice(0, 500)}`))));
    });
    const chunks = prometheusText(fleet, opts);
    // pulled only when the socket drains: gigabytes of history never sit in memory
    const pump = () => {
      for (;;) {
        const r = chunks.next();
        if (r.done) {
          count = r.value;
          req.end();
          return;
        }
        if (!req.write(r.value)) {
          req.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });
  // imported samples become searchable after an in-memory buffer is flushed (about a second later)
  const flushed = await fetch(`${url}/internal/force_flush`);
  if (!flushed.ok) throw new Error(`force_flush failed: HTTP ${flushed.status}`);
  return samples;
}

/** Starts VictoriaMetrics over a storage directory (new or kept from an earlier import). */
export async function serveVictoriaMetrics(dir: string, samples = 0): Promise<RunningVictoriaMetrics> {
  const data = path.join(dir, "data");
  fs.mkdirSync(data, { recursive: true });
  const port = await freePort();
  const server = await startServerProcess({
    name: "victoria-metrics",
    bin: VICTORIA_METRICS_BIN,
    args: [
      `-storageDataPath=${data}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      // scenario history starts weeks ago; the default retention (a month) would drop its beginning
      "-retentionPeriod=100y",
      // a history that ends now: the default hides the last 30 s of samples from queries
      "-search.latencyOffset=0s",
      // its response cache stays on, as on a real server: a cached range query moves its steps onto
      // multiples of the step, which Headroom's queries must not let happen
      "-loggerLevel=ERROR",
    ],
    port,
    readyPath: "/health",
    // SIGTERM lets it flush to disk (a kept directory stays whole)
    killAfterMs: 10_000,
  });
  return { url: server.url, samples, dir, stop: server.stop };
}
