import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusters } from "@/db/schema";
import { ConflictError } from "@/lib/clusters/errors";
import { clusterRow } from "@/lib/clusters/manage";
import { SettingsError } from "@/lib/clusters/prometheus-settings";
import { writeAudit, type AuditActor } from "@/lib/orgs/audit";
import { checkUrlResolved, OutboundBlockedError, policyFromEnv, type OutboundPolicy } from "@/lib/security/outbound";
import { secretKeyFromEnv, secretKeyOrNull } from "@/lib/security/secrets";
import { testKubeConnection, type KubeConnectionReport } from "./direct-client";
import { connectionColumns, effectiveConnection, kubeSettingsView, type KubeSettingsInput, type KubeSettingsView } from "./direct-settings";

export async function getKubeSettings(db: Db, q: { orgId: string; slug: string }): Promise<KubeSettingsView | null> {
  const row = await clusterRow(db, q.orgId, q.slug);
  return row ? kubeSettingsView(row, secretKeyOrNull()) : null;
}

/** The outbound guard on the API server URL with what its name resolves to now: a refusal is a 400 on the field. */
async function guardServer(url: string, field: string, policy: OutboundPolicy) {
  // a bearer token in clear over the network: only for a development setup that allows loopback
  if (new URL(url).protocol === "http:" && !policy.allowLoopback) throw new SettingsError(field, "the API server must be reached over https:// (a token would travel in clear)");
  try {
    await checkUrlResolved(url, policy);
  } catch (e) {
    if (e instanceof OutboundBlockedError) throw new SettingsError(field, e.message);
    throw e;
  }
}

const fieldOf = (input: KubeSettingsInput) => (input.kind === "kubeconfig" ? "kubeconfig" : "serverUrl");

/**
 * Saves the cluster's Kubernetes API connection (direct mode), the credential sealed. The server URL
 * passes the outbound guard first, its DNS answer included. Demo clusters are simulated: refused.
 */
export async function saveKubeSettings(db: Db, q: { orgId: string; slug: string; input: KubeSettingsInput; actor: AuditActor; policy?: OutboundPolicy }): Promise<KubeSettingsView | null> {
  const row = await clusterRow(db, q.orgId, q.slug);
  if (!row) return null;
  if (row.metricsKind === "demo") throw new ConflictError("this is a simulated demo cluster; add a cluster to connect a real Kubernetes API");
  const key = secretKeyFromEnv();
  const c = effectiveConnection(row, q.input, key);
  await guardServer(c.serverUrl, fieldOf(q.input), q.policy ?? policyFromEnv());
  const [updated] = await db
    .update(clusters)
    .set({ ...connectionColumns(row.id, c, key), kubeSyncError: null, settingsUpdatedAt: new Date() })
    .where(and(eq(clusters.id, row.id), eq(clusters.orgId, q.orgId)))
    .returning();
  // what changed, never the credential
  await writeAudit(db, { orgId: q.orgId, actor: q.actor, action: "cluster.kubernetes.update", targetType: "cluster", targetId: row.id, data: { serverUrl: c.serverUrl, auth: c.credential.kind, from: q.input.kind, ca: c.caPem !== null, skipVerify: c.skipVerify } });
  return updated ? kubeSettingsView(updated, key) : null;
}

/** Forgets the connection (direct reads stop; the inventory read so far stays). */
export async function deleteKubeSettings(db: Db, q: { orgId: string; slug: string; actor: AuditActor }): Promise<boolean> {
  const row = await clusterRow(db, q.orgId, q.slug);
  if (!row) return false;
  await db.update(clusters).set({ ...connectionColumns(row.id, null, null), kubeSyncError: null }).where(and(eq(clusters.id, row.id), eq(clusters.orgId, q.orgId)));
  await writeAudit(db, { orgId: q.orgId, actor: q.actor, action: "cluster.kubernetes.delete", targetType: "cluster", targetId: row.id, data: {} });
  return true;
}

/** Tests the form's connection (a stored token fills an empty field) without saving anything. */
export async function testKubeSettings(db: Db, q: { orgId: string; slug: string; input: KubeSettingsInput; actor: AuditActor; policy?: OutboundPolicy }): Promise<KubeConnectionReport | null> {
  const row = await clusterRow(db, q.orgId, q.slug);
  if (!row) return null;
  const c = effectiveConnection(row, q.input, secretKeyOrNull());
  const policy = q.policy ?? policyFromEnv();
  await guardServer(c.serverUrl, fieldOf(q.input), policy);
  // where a stored credential was sent is worth a trace, even when nothing is saved
  await writeAudit(db, { orgId: q.orgId, actor: q.actor, action: "cluster.kubernetes.test", targetType: "cluster", targetId: row.id, data: { serverUrl: c.serverUrl, auth: c.credential.kind } });
  return testKubeConnection(c, policy);
}
