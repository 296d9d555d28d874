import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "@/db/embedded";
import type { FleetCluster } from "@/lib/scenarios/demo-fleet";
import { writeOpenMetrics, type ExportOptions } from "@/lib/scenarios/openmetrics";

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
  const proc: ChildProcess = spawn(
    "prometheus",
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--storage.tsdb.retention.time=3650d",
      "--log.level=warn",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  proc.stderr!.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`prometheus exited (${proc.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`prometheus did not become ready in 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    samples,
    dir,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
        setTimeout(() => proc.kill("SIGKILL"), 5000).unref();
      }),
  };
}
