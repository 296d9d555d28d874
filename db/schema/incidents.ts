import { sql } from "drizzle-orm";
import { date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations, users } from "./orgs";
import { clusters, workloads } from "./inventory";

export const incidentStatusEnum = pgEnum("incident_status", ["open", "acknowledged", "resolved"]);

/** Every container termination seen (OOMKilled and the others it must be told apart from). */
export const oomEvents = pgTable(
  "oom_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    clusterId: uuid("cluster_id").notNull().references(() => clusters.id, { onDelete: "cascade" }),
    workloadId: uuid("workload_id").references(() => workloads.id, { onDelete: "cascade" }),
    namespace: text("namespace").notNull(),
    podName: text("pod_name").notNull(),
    podUid: text("pod_uid").notNull(),
    containerName: text("container_name").notNull(),
    reason: text("reason").notNull(),
    exitCode: integer("exit_code"),
    finishedAt: timestamp("finished_at", { withTimezone: true }).notNull(),
    restartCount: integer("restart_count").notNull().default(0),
    node: text("node"),
    /** main, init or sidecar (a native sidecar: an init container with restartPolicy Always) */
    containerKind: text("container_kind").notNull().default("main"),
    /** the kubelet's words, e.g. an eviction's "The node was low on resource: memory…" */
    message: text("message"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // one row per occurrence: the same kill reported twice (agent retry, resync) is deduplicated
    uniqueIndex("oom_events_occurrence_uq").on(t.clusterId, t.podUid, t.containerName, t.finishedAt),
    index("oom_events_org_time_idx").on(t.orgId, t.finishedAt),
    index("oom_events_workload_idx").on(t.workloadId, t.containerName, t.finishedAt),
    // the OOMKills of an organization by time, read index-only: the partial days at a window's edges (lib/queries/oom-totals.ts)
    index("oom_events_org_kills_idx").on(t.orgId, t.finishedAt, t.clusterId, t.workloadId, t.containerName).where(sql`reason = 'OOMKilled'`),
    // a cluster's node-level kills (SystemOOM, evictions) for its nodes card
    index("oom_events_cluster_node_kills_idx").on(t.clusterId, t.finishedAt).where(sql`reason in ('SystemOOM', 'Evicted')`),
  ],
);

/**
 * OOMKills per workload container and UTC day: the 30-day totals, the daily chart and the top
 * offenders read these rows instead of every kill. Kept by triggers on oom_events (migration 0008:
 * an insert adds the rows it stored, a delete recounts the days it touched), so every writer — the
 * ingest path, the Prometheus sync, the demo seed, a test — keeps it exact without knowing about it.
 */
export const oomKillsDaily = pgTable(
  "oom_kills_daily",
  {
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    clusterId: uuid("cluster_id").notNull().references(() => clusters.id, { onDelete: "cascade" }),
    /** null for kills of a pod without a workload (counted in the organization's totals, never a top offender) */
    workloadId: uuid("workload_id").references(() => workloads.id, { onDelete: "cascade" }),
    containerName: text("container_name").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    kills: integer("kills").notNull(),
    lastAt: timestamp("last_at", { withTimezone: true }).notNull(),
  },
  (t) => [unique("oom_kills_daily_uq").on(t.clusterId, t.workloadId, t.containerName, t.day).nullsNotDistinct(), index("oom_kills_daily_org_day_idx").on(t.orgId, t.day)],
);

export const incidents = pgTable(
  "incidents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    clusterId: uuid("cluster_id").notNull().references(() => clusters.id, { onDelete: "cascade" }),
    workloadId: uuid("workload_id").notNull().references(() => workloads.id, { onDelete: "cascade" }),
    containerName: text("container_name").notNull(),
    status: incidentStatusEnum("status").notNull().default("open"),
    pattern: text("pattern"),
    oomCount: integer("oom_count").notNull().default(0),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
    analysis: jsonb("analysis"),
    analyzedAt: timestamp("analyzed_at", { withTimezone: true }),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    /** how it ended: "manual" (someone resolved it), "fix_verified" (7 days without an OOMKill after a limit/heap change) or "quiet" (a week without a kill) */
    resolution: text("resolution"),
    /** the analysis at the first kill (analysis holds the latest) */
    firstAnalysis: jsonb("first_analysis"),
    assigneeUserId: uuid("assignee_user_id").references(() => users.id, { onDelete: "set null" }),
    /** notifications and the open list quiet until then */
    snoozedUntil: timestamp("snoozed_until", { withTimezone: true }),
    /** the container's memory spec when the incident opened: { requestBytes, limitBytes, heap } */
    specAtOpen: jsonb("spec_at_open"),
    /** when a limit/request/heap change was first seen after the incident opened, and the spec after it */
    fixAppliedAt: timestamp("fix_applied_at", { withTimezone: true }),
    specAfterFix: jsonb("spec_after_fix"),
    /** the previous incident of the same container, when this one repeats it */
    previousIncidentId: uuid("previous_incident_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // at most one unresolved incident per workload container
    uniqueIndex("incidents_one_open_uq").on(t.workloadId, t.containerName).where(sql`status <> 'resolved'`),
    index("incidents_org_status_idx").on(t.orgId, t.status, t.lastSeenAt),
    index("incidents_cluster_idx").on(t.clusterId, t.status),
    index("incidents_assignee_idx").on(t.assigneeUserId),
  ],
);

/** Notes people leave on an incident (shown on its timeline). */
export const incidentNotes = pgTable(
  "incident_notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    incidentId: uuid("incident_id").notNull().references(() => incidents.id, { onDelete: "cascade" }),
    authorUserId: uuid("author_user_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("incident_notes_incident_idx").on(t.incidentId, t.createdAt)],
);
