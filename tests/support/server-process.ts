import { spawn, type ChildProcess } from "node:child_process";

/** A server process started by a test, ready to answer on `url`. */
export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `bin` with `args` (listening on loopback `port`), waits up to 60 s until `readyPath` answers
 * 2xx, and returns it with a `stop` that sends SIGTERM (SIGKILL after `killAfterMs`). A process that
 * exits or never gets ready fails with the tail of its stderr.
 */
export async function startServerProcess(o: { name: string; bin: string; args: string[]; port: number; readyPath: string; killAfterMs?: number }): Promise<ServerProcess> {
  const proc = spawn(o.bin, o.args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  proc.stderr!.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${o.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${o.name} exited (${proc.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${url}${o.readyPath}`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`${o.name} did not become ready in 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    proc,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
        setTimeout(() => proc.kill("SIGKILL"), o.killAfterMs ?? 5_000).unref();
      }),
  };
}
