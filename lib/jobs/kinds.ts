/** The queue's job kinds (pg-boss queue names). */
export const JOB = {
  /** reads one Prometheus-backed cluster into the inventory */
  clusterSync: "cluster.sync",
  /** enqueues a cluster.sync for each cluster whose last sync is older than the interval */
  clustersSchedule: "clusters.schedule",
  /** closes incidents whose fix held (lib/incidents/fix-verify.ts) */
  verifyFixes: "incidents.verify-fixes",
} as const;
export type JobKind = (typeof JOB)[keyof typeof JOB];

/** Every job an organization can see carries its orgId: the jobs page filters on it. */
export interface ClusterSyncData {
  orgId: string;
  clusterId: string;
  slug: string;
}

/** pg-boss's schema (its default): created and migrated by pg-boss itself at start. */
export const BOSS_SCHEMA = "pgboss";
