import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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
  ],
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
