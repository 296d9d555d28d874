import {
  bigint, boolean, index, integer, jsonb, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid,
} from "drizzle-orm/pg-core";
import { organizations } from "./orgs";

export const connectionModeEnum = pgEnum("connection_mode", ["demo", "agent", "direct"]);
export const metricsKindEnum = pgEnum("metrics_kind", ["demo", "prometheus"]);
export const promAuthEnum = pgEnum("prometheus_auth", ["none", "bearer", "basic"]);

export const clusters = pgTable(
  "clusters",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    provider: text("provider"),
    region: text("region"),
    connectionMode: connectionModeEnum("connection_mode").notNull().default("agent"),
    metricsKind: metricsKindEnum("metrics_kind").notNull().default("prometheus"),
    prometheusUrl: text("prometheus_url"),
    prometheusAuth: promAuthEnum("prometheus_auth").notNull().default("none"),
    // AES-256-GCM ciphertexts (lib/security): never a secret in clear in the database
    prometheusSecretEnc: text("prometheus_secret_enc"),
    prometheusHeadersEnc: text("prometheus_headers_enc"),
    prometheusCaPem: text("prometheus_ca_pem"),
    prometheusSkipVerify: boolean("prometheus_skip_verify").notNull().default(false),
    clusterLabel: text("cluster_label"),
    clusterLabelValue: text("cluster_label_value"),
    /** renamed namespace/pod/container labels, per family ({ cadvisor?, ksm? }); null = the standard names */
    prometheusLabelNames: jsonb("prometheus_label_names").$type<{ cadvisor?: Partial<Record<"namespace" | "pod" | "container", string>>; ksm?: Partial<Record<"namespace" | "pod" | "container", string>> }>(),
    pricePerGibMonth: numeric("price_per_gib_month", { precision: 10, scale: 4, mode: "number" }).notNull().default(3.2),
    currency: text("currency").notNull().default("USD"),
    lastSyncAt: timestamp("last_sync_at", { withTimezone: true }),
    /** why the last sync from Prometheus failed (null when it worked), shown on the cluster's pages */
    lastSyncError: text("last_sync_error"),
    settingsUpdatedAt: timestamp("settings_updated_at", { withTimezone: true }),
    /** direct mode: the API server, its CA, and the sealed credential (a kubeconfig or a service-account token) */
    kubeServerUrl: text("kube_server_url"),
    kubeCaPem: text("kube_ca_pem"),
    kubeCredentialEnc: text("kube_credential_enc"),
    kubeSkipVerify: boolean("kube_skip_verify").notNull().default(false),
    /** the last read of the Kubernetes API (agent snapshot or direct sync) and why it failed */
    kubeSyncAt: timestamp("kube_sync_at", { withTimezone: true }),
    kubeSyncError: text("kube_sync_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("clusters_org_slug_uq").on(t.orgId, t.slug)],
);

export const workloads = pgTable(
  "workloads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    clusterId: uuid("cluster_id").notNull().references(() => clusters.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    namespace: text("namespace").notNull(),
    name: text("name").notNull(),
    replicas: integer("replicas").notNull().default(1),
    /** the workload's Kubernetes labels (agent, direct mode, or kube-state-metrics' kube_*_labels): the cost page groups by one, e.g. team */
    labels: jsonb("labels").$type<Record<string, string>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("workloads_identity_uq").on(t.clusterId, t.namespace, t.kind, t.name),
    index("workloads_org_cluster_idx").on(t.orgId, t.clusterId, t.namespace),
  ],
);

export const containers = pgTable(
  "containers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workloadId: uuid("workload_id").notNull().references(() => workloads.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    image: text("image"),
    command: jsonb("command").$type<string[]>(),
    args: jsonb("args").$type<string[]>(),
    env: jsonb("env").$type<Record<string, string>>(),
    requestBytes: bigint("request_bytes", { mode: "number" }),
    limitBytes: bigint("limit_bytes", { mode: "number" }),
    /** main, init or sidecar (native sidecar: an init container with restartPolicy Always) */
    kind: text("kind").notNull().default("main"),
    /** emptyDir volumes with medium Memory this container mounts: their files count against its limit */
    memoryVolumes: jsonb("memory_volumes").$type<{ name: string; sizeLimitBytes: number | null; mountPath: string }[]>(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("containers_workload_name_uq").on(t.workloadId, t.name), index("containers_org_idx").on(t.orgId)],
);

export const pods = pgTable(
  "pods",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    clusterId: uuid("cluster_id").notNull().references(() => clusters.id, { onDelete: "cascade" }),
    workloadId: uuid("workload_id").references(() => workloads.id, { onDelete: "cascade" }),
    uid: text("uid").notNull(),
    namespace: text("namespace").notNull(),
    name: text("name").notNull(),
    node: text("node"),
    phase: text("phase").notNull().default("Running"),
    startedAt: timestamp("started_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("pods_cluster_uid_uq").on(t.clusterId, t.uid), index("pods_workload_idx").on(t.workloadId)],
);

/** The cluster's nodes as the Kubernetes API shows them (agent snapshot or direct read). */
export const nodes = pgTable(
  "nodes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    clusterId: uuid("cluster_id").notNull().references(() => clusters.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    allocatableMemoryBytes: bigint("allocatable_memory_bytes", { mode: "number" }),
    capacityMemoryBytes: bigint("capacity_memory_bytes", { mode: "number" }),
    memoryPressure: boolean("memory_pressure").notNull().default(false),
    instanceType: text("instance_type"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("nodes_cluster_name_uq").on(t.clusterId, t.name)],
);
