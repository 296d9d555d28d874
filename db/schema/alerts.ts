import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./orgs";
import { clusters, workloads } from "./inventory";
import { incidents } from "./incidents";

/** The organization's alert levels: the at-risk list, notifications and the exported rules read them. */
export const orgAlertSettings = pgTable("org_alert_settings", {
  orgId: uuid("org_id").primaryKey().references(() => organizations.id, { onDelete: "cascade" }),
  /** working set of limit that makes a container "warning" (the domain guide: 85%) */
  warningPercent: integer("warning_percent").notNull().default(85),
  /** … and "critical" (the guide: 95%) */
  criticalPercent: integer("critical_percent").notNull().default(95),
  /** the guide's HighMemoryUsage rule: working set at or above this share of the limit … */
  sustainedPercent: integer("sustained_percent").notNull().default(90),
  /** … for this long */
  sustainedMinutes: integer("sustained_minutes").notNull().default(10),
  /** a leak projected to reach its limit within this many hours is warned about */
  leakWithinHours: integer("leak_within_hours").notNull().default(24),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Organization-level tokens Alertmanager sends its webhooks with; only the SHA-256 is stored. */
export const alertReceiverTokens = pgTable(
  "alert_receiver_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("alert_receiver_tokens_org_idx").on(t.orgId, t.createdAt)],
);

/** Alerts Alertmanager sent, matched to a container (and its incident) where their labels name one. */
export const receivedAlerts = pgTable(
  "received_alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    fingerprint: text("fingerprint").notNull(),
    alertname: text("alertname").notNull(),
    status: text("status").notNull(),
    severity: text("severity"),
    labels: jsonb("labels").$type<Record<string, string>>().notNull(),
    annotations: jsonb("annotations").$type<Record<string, string>>().notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    generatorUrl: text("generator_url"),
    receiver: text("receiver"),
    clusterId: uuid("cluster_id").references(() => clusters.id, { onDelete: "set null" }),
    workloadId: uuid("workload_id").references(() => workloads.id, { onDelete: "set null" }),
    containerName: text("container_name"),
    incidentId: uuid("incident_id").references(() => incidents.id, { onDelete: "set null" }),
    /** why it matched no container, in words (null when it matched) */
    unmatchedReason: text("unmatched_reason"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Alertmanager repeats a firing alert every repeat_interval: one row per alert occurrence
    uniqueIndex("received_alerts_occurrence_uq").on(t.orgId, t.fingerprint, t.startsAt),
    index("received_alerts_incident_idx").on(t.orgId, t.incidentId),
    index("received_alerts_org_time_idx").on(t.orgId, t.receivedAt),
  ],
);

/** Where notifications go: a Slack-compatible incoming webhook or a signed JSON webhook; URL and signing secret sealed. */
export const notificationChannels = pgTable(
  "notification_channels",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    urlEnc: text("url_enc").notNull(),
    /** the URL's host, to show (the URL itself is a credential for Slack) */
    urlHost: text("url_host").notNull(),
    secretEnc: text("secret_enc"),
    /** which events, clusters and namespaces it receives (lib/schemas/notifications.ts) */
    rules: jsonb("rules").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("notification_channels_org_idx").on(t.orgId)],
);

/** The last time a channel was told about a subject (a container, an incident): one message per subject per window. */
export const notificationThrottle = pgTable(
  "notification_throttle",
  {
    channelId: uuid("channel_id").notNull().references(() => notificationChannels.id, { onDelete: "cascade" }),
    subjectKey: text("subject_key").notNull(),
    lastAt: timestamp("last_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.subjectKey] })],
);

/** One attempt-tracked message to a channel (a group of events, or a test). */
export const notificationDeliveries = pgTable(
  "notification_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").notNull().references(() => notificationChannels.id, { onDelete: "cascade" }),
    /** the queue job that sends it (its retries reuse this row) */
    jobId: text("job_id"),
    kind: text("kind").notNull(),
    eventCount: integer("event_count").notNull().default(0),
    /** pending, retrying, delivered, failed */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    responseStatus: integer("response_status"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [index("notification_deliveries_channel_idx").on(t.channelId, t.createdAt), uniqueIndex("notification_deliveries_job_uq").on(t.jobId)],
);

/** Events waiting for their channel's next message (grouped), then kept with the delivery that carried them. */
export const notificationEvents = pgTable(
  "notification_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").notNull().references(() => notificationChannels.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    subjectKey: text("subject_key").notNull(),
    payload: jsonb("payload").notNull(),
    deliveryId: uuid("delivery_id").references(() => notificationDeliveries.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("notification_events_pending_idx").on(t.channelId, t.deliveryId)],
);
