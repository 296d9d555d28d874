import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

/**
 * Starts a command as the leader of its own process group, so that stopGroup ends it with every
 * process it started (tsx runs the script in a node child: a SIGKILL to tsx alone leaves that child).
 */
export function spawnGroup(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(command, args, { ...options, detached: true });
}

/** Sends `signal` to the whole process group of a child started by spawnGroup; one already gone is fine. */
export function stopGroup(child: ChildProcess | null | undefined, signal: NodeJS.Signals = "SIGKILL"): void {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
  }
}
