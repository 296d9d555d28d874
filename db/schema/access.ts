import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { organizations, users } from "./orgs";
import { clusters } from "./inventory";
import { incidents } from "./incidents";

export const shareLinks = pgTable(
  "share_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    incidentId: uuid("incident_id").notNull().references(() => incidents.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /** cluster and namespace names replaced, for sharing with a vendor */
    redacted: boolean("redacted").notNull().default(false),
    /** what the link shows, frozen when it was made */
    snapshot: jsonb("snapshot"),
    viewCount: integer("view_count").notNull().default(0),
    lastViewedAt: timestamp("last_viewed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("share_links_incident_idx").on(t.orgId, t.incidentId)],
);

export const agentTokens = pgTable(
  "agent_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    clusterId: uuid("cluster_id").notNull().references(() => clusters.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    /** what the agent using it last reported of itself: its version and resident memory */
    agentVersion: text("agent_version"),
    agentMemoryBytes: bigint("agent_memory_bytes", { mode: "number" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("agent_tokens_cluster_idx").on(t.orgId, t.clusterId)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    data: jsonb("data"),
    ip: text("ip"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_log_org_time_idx").on(t.orgId, t.createdAt),
    // an incident's (or any target's) timeline reads its entries by target
    index("audit_log_target_idx").on(t.orgId, t.targetType, t.targetId, t.createdAt),
  ],
);

/** rate-limiter-flexible's Postgres store (its own layout), shared by every app replica. */
export const rateLimits = pgTable("rate_limits", {
  key: varchar("key", { length: 255 }).primaryKey(),
  points: integer("points").notNull().default(0),
  expire: bigint("expire", { mode: "number" }),
});

/** Agent batches already stored, by their Idempotency-Key: a replay stores nothing twice, the same key with another payload is refused. */
export const ingestBatches = pgTable(
  "ingest_batches",
  {
    clusterId: uuid("cluster_id").notNull().references(() => clusters.id, { onDelete: "cascade" }),
    key: varchar("key", { length: 200 }).notNull(),
    payloadHash: text("payload_hash").notNull(),
    result: jsonb("result").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.key] })],
);
