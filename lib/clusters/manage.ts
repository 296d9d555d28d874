import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/connect";
import { auditLog, clusters } from "@/db/schema";
import { syncClusterFromPrometheus, type SyncResult } from "@/lib/inventory/prometheus-sync";
import { sourceForCluster } from "@/lib/metrics/for-cluster";
import { PrometheusSource } from "@/lib/metrics/prometheus-source";
import { hasKubeConnection, syncKubeDirect, type DirectSyncResult } from "@/lib/kube/direct-sync";
import { checkUrlResolved, OutboundBlockedError, policyFromEnv, type OutboundPolicy } from "@/lib/security/outbound";
import { secretKeyFromEnv, secretKeyOrNull } from "@/lib/security/secrets";
import { testConnection, type ConnectionReport } from "./connection-test";
import { ConflictError } from "./errors";
import { effectiveConfig, SettingsError, settingsView, toColumns, type PrometheusSettingsInput, type SettingsView } from "./prometheus-settings";

export const newClusterInput = z.object({
  name: z
    .string()
    .trim()
    .min(2, "at least 2 characters")
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "lower-case letters, digits and dashes, like prod-eu")
    .refine((n) => n !== "new", "\"new\" is reserved"),
  provider: z.string().trim().max(64).optional(),
  region: z.string().trim().max(64).optional(),
  pricePerGibMonth: z.number().min(0).max(10_000).default(3.2),
  currency: z.string().trim().regex(/^[A-Z]{3}$/, "a three-letter currency code, e.g. USD").default("USD"),
});


/** Creates a Prometheus-backed cluster (settings come next). */
export async function createCluster(db: Db, q: { orgId: string; userId: string; ip?: string | null; input: z.infer<typeof newClusterInput> }) {
  const [row] = await db
    .insert(clusters)
    .values({ orgId: q.orgId, slug: q.input.name, name: q.input.name, provider: q.input.provider || null, region: q.input.region || null, connectionMode: "direct", metricsKind: "prometheus", pricePerGibMonth: q.input.pricePerGibMonth, currency: q.input.currency })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new ConflictError(`a cluster named "${q.input.name}" already exists`);
  await db.insert(auditLog).values({ orgId: q.orgId, actorUserId: q.userId, action: "cluster.create", targetType: "cluster", targetId: row.id, data: { name: row.name }, ip: q.ip ?? null });
  return row;
}

/** One cluster of the organization by slug, or null. */
export async function clusterRow(db: Db, orgId: string, slug: string) {
  const [row] = await db.select().from(clusters).where(and(eq(clusters.orgId, orgId), eq(clusters.slug, slug))).limit(1);
  return row ?? null;
}

export async function getSettings(db: Db, q: { orgId: string; slug: string }): Promise<SettingsView | null> {
  const row = await clusterRow(db, q.orgId, q.slug);
  return row ? settingsView(row, secretKeyOrNull()) : null;
}

/**
 * Tests the form's endpoint (stored secrets fill the fields left empty) without saving anything: a
 * cluster whose endpoint was never saved is tested from the form alone. `policy`: the operator's
 * outbound policy unless a test gives its own (with its resolver).
 */
export async function testSettings(db: Db, q: { orgId: string; slug: string; input: PrometheusSettingsInput; userId?: string; ip?: string | null; policy?: OutboundPolicy }): Promise<ConnectionReport | null> {
  const row = await clusterRow(db, q.orgId, q.slug);
  if (!row) return null;
  const cfg = effectiveConfig(row, q.input, secretKeyFromEnv());
  // who sent the stored credentials where is worth a trace, even when nothing is saved
  await db.insert(auditLog).values({ orgId: q.orgId, actorUserId: q.userId ?? null, action: "cluster.prometheus.test", targetType: "cluster", targetId: row.id, data: { url: cfg.url, auth: cfg.auth.kind }, ip: q.ip ?? null });
  return testConnection({ url: cfg.url, auth: cfg.auth, headers: cfg.headers, caPem: cfg.caPem, skipVerify: cfg.skipVerify, labels: { clusterLabel: cfg.clusterLabel, clusterValue: cfg.clusterLabelValue, ...(cfg.labelNames ?? {}) }, policy: q.policy ?? policyFromEnv() });
}

/**
 * The outbound guard on a URL about to be saved, with the addresses its name resolves to now
 * (through the policy's resolver, the one connections use): a refusal is a 400 on the url field.
 */
async function guardUrl(url: string, policy: OutboundPolicy) {
  try {
    await checkUrlResolved(url, policy);
  } catch (e) {
    if (e instanceof OutboundBlockedError) throw new SettingsError("url", e.message);
    throw e;
  }
}

/**
 * Saves the endpoint (credentials encrypted) and records who changed it. The URL passes the outbound
 * guard first, DNS answer included (`policy`: the operator's, from the environment, unless a test
 * gives its own): a URL that would be refused at the first sync is refused when it is typed.
 */
export async function saveSettings(db: Db, q: { orgId: string; userId: string; ip?: string | null; slug: string; input: PrometheusSettingsInput; policy?: OutboundPolicy }): Promise<SettingsView | null> {
  const row = await clusterRow(db, q.orgId, q.slug);
  if (!row) return null;
  if (row.metricsKind === "demo") throw new ConflictError("this is a simulated demo cluster; add a cluster to connect a real Prometheus");
  await guardUrl(q.input.url.replace(/\/+$/, ""), q.policy ?? policyFromEnv());
  const key = secretKeyFromEnv();
  const cfg = effectiveConfig(row, q.input, key);
  const [updated] = await db
    .update(clusters)
    .set({
      ...toColumns(row.id, cfg, key),
      ...(q.input.pricePerGibMonth !== undefined ? { pricePerGibMonth: q.input.pricePerGibMonth } : {}),
      ...(q.input.currency ? { currency: q.input.currency } : {}),
      settingsUpdatedAt: new Date(),
    })
    .where(and(eq(clusters.id, row.id), eq(clusters.orgId, q.orgId)))
    .returning();
  await db.insert(auditLog).values({
    orgId: q.orgId, actorUserId: q.userId, ip: q.ip ?? null, action: "cluster.prometheus.update", targetType: "cluster", targetId: row.id,
    // what changed, never a secret
    data: { url: cfg.url, auth: cfg.auth.kind, headers: Object.keys(cfg.headers), clusterLabel: cfg.clusterLabel, labelNames: cfg.labelNames, skipVerify: cfg.skipVerify, ca: cfg.caPem !== null },
  });
  if (!updated) return null;
  return settingsView(updated, key);
}

/** An agent's snapshot this recent makes the Kubernetes API the cluster's source of pods and kills. */
const AGENT_FRESH_MS = 24 * 3600 * 1000;

/**
 * Reads the cluster now: its Kubernetes API first when direct mode is set up (inventory and kills),
 * then its Prometheus (memory history, analyses; inventory and kills too when no Kubernetes source
 * feeds the cluster). A failed Kubernetes read is kept on the cluster and reported, and the Prometheus
 * sync still runs.
 */
export async function syncNow(db: Db, q: { orgId: string; slug: string; now?: number }): Promise<(SyncResult & { kubernetes: DirectSyncResult | null }) | null> {
  const row = await clusterRow(db, q.orgId, q.slug);
  if (!row) return null;
  if (row.metricsKind === "demo") throw new ConflictError("the demo's clusters are simulated and always in sync");
  const nowSec = q.now ?? Date.now() / 1000;
  const kubernetes = hasKubeConnection(row) ? await syncKubeDirect(db, { orgId: q.orgId, clusterId: row.id, now: new Date(nowSec * 1000) }) : null;
  const { source, problem } = await sourceForCluster(db, { orgId: q.orgId, slug: q.slug });
  if (!(source instanceof PrometheusSource)) {
    if (!kubernetes) throw new ConflictError(problem ?? "no Prometheus configured");
    if (kubernetes.error) throw new ConflictError(`the Kubernetes API could not be read: ${kubernetes.error}`);
    return { workloads: kubernetes.workloads, containers: 0, terminations: kubernetes.terminations, oomKills: 0, incidentsCreated: kubernetes.incidentsOpened, kubernetes };
  }
  // direct mode (even after a failed read: the next one brings the kills) or an agent heard from lately
  const kubeFresh = kubernetes !== null || (row.kubeSyncAt !== null && nowSec * 1000 - row.kubeSyncAt.getTime() < AGENT_FRESH_MS);
  const result = await syncClusterFromPrometheus(db, { orgId: q.orgId, clusterId: row.id, slug: row.slug, source, now: nowSec, pricing: { currency: row.currency, perGiBMonth: row.pricePerGibMonth }, kubernetesInventory: kubeFresh });
  return { ...result, kubernetes };
}

