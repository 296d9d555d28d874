import "server-only";
import PgBoss from "pg-boss";
import type { Db } from "@/db/connect";
import { syncNow } from "@/lib/clusters/manage";
import { jobSettingsFromEnv, startJobs, type RunningJobs } from "./queue";

// Next.js bundles instrumentation and route handlers apart: module state is not shared, globalThis is.
const state = globalThis as unknown as { headroomJobs?: RunningJobs; headroomJobsClient?: Promise<PgBoss> };

/**
 * Starts this server's queue workers (unless HEADROOM_JOBS=off, for replicas that only serve pages):
 * scheduled syncs with the app's syncNow, and fix verification.
 */
export async function startServerJobs(db: Db, databaseUrl: string): Promise<RunningJobs | null> {
  if (process.env.HEADROOM_JOBS === "off") return null;
  if (state.headroomJobs) return state.headroomJobs;
  const jobs = await startJobs({
    db, databaseUrl, ...jobSettingsFromEnv(),
    sync: (c) => syncNow(db, { orgId: c.orgId, slug: c.slug }),
    verifyFixes: async (now) => (await import("@/lib/incidents/fix-verify")).verifyFixes(db, { now }),
  });
  state.headroomJobs = jobs;
  const stop = () => void jobs.stop(3_000).finally(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return jobs;
}

/** A pg-boss handle for routes (retrying a job): the running workers' one, or a client that runs no workers or maintenance. */
export function jobsClient(): Promise<PgBoss> {
  if (state.headroomJobs) return Promise.resolve(state.headroomJobs.boss);
  const url = process.env.DATABASE_URL;
  if (!url) return Promise.reject(new Error("DATABASE_URL is not set"));
  state.headroomJobsClient ??= new PgBoss({ connectionString: url, max: 2, supervise: false, schedule: false, migrate: false }).start().catch((e: unknown) => {
    state.headroomJobsClient = undefined;
    throw e;
  });
  return state.headroomJobsClient;
}
