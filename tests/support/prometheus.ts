import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "@/db/embedded";
import type { FleetCluster } from "@/lib/scenarios/demo-fleet";
import { writeOpenMetrics, type ExportOptions } from "@/lib/scenarios/openmetrics";
import { startServerProcess } from "./server-process";

/** A real Prometheus (Debian's package) serving a TSDB made from scenario series with promtool. */
export interface RunningPrometheus {
  url: string;
  samples: number;
  dir: string;
  stop(): Promise<void>;
}

export function prometheusAvailable(): string | null {
  for (const bin of ["prometheus", "promtool"]) {
    if (spawnSync("sh", ["-c", `command -v ${bin}`]).status !== 0) return `${bin} is not installed (apt-get install -y prometheus)`;
  }
  return null;
}

/** Writes the fleet as OpenMetrics, builds TSDB blocks with promtool, and starts Prometheus on a free loopback port. */
export async function startPrometheus(fleet: FleetCluster[], opts: ExportOptions & { dir?: string }): Promise<RunningPrometheus> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "headroom-prom-"));
  const data = path.join(dir, "data");
  fs.mkdirSync(data, { recursive: true });
  const input = path.join(dir, "series.om");
  const samples = writeOpenMetrics(input, fleet, opts);
  // blocks up to 30 days long keep the block count (and Prometheus's start-up) small
  const built = spawnSync("promtool", ["tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=720h", input, data], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (built.status !== 0) throw new Error(`promtool failed: ${built.stderr || built.stdout}`);
  fs.rmSync(input);
  return serve(dir, samples);
}

/** Starts Prometheus over an existing data directory. */
export async function serve(dir: string, samples = 0): Promise<RunningPrometheus> {
  const config = path.join(dir, "prometheus.yml");
  fs.writeFileSync(config, "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
  const port = await freePort();
  const server = await startServerProcess({
    name: "prometheus",
    bin: "prometheus",
    args: [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--storage.tsdb.retention.time=3650d",
      "--log.level=warn",
    ],
    port,
    readyPath: "/-/ready",
  });
  return { url: server.url, samples, dir, stop: server.stop };
}
