/** The queue's job kinds (pg-boss queue names). */
export const JOB = {
  /** reads one Prometheus-backed cluster into the inventory */
  clusterSync: "cluster.sync",
  /** enqueues a cluster.sync for each cluster whose last sync is older than the interval */
  clustersSchedule: "clusters.schedule",
  /** closes incidents whose fix held (lib/incidents/fix-verify.ts) */
  verifyFixes: "incidents.verify-fixes",
  /** finds new incidents, critical and leaking containers for the organizations' notification channels (lib/notify/scan.ts) */
  notifyScan: "notify.scan",
  /** sends one channel's queued events as one message, retried with backoff (lib/notify/deliver.ts) */
  notifyDeliver: "notify.deliver",
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

/** A channel whose queued events are to be sent (one job per channel at a time: a burst becomes one message). */
export interface NotifyDeliverData {
  orgId: string;
  channelId: string;
}
