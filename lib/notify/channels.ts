import "server-only";
import crypto from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { notificationChannels, notificationDeliveries } from "@/db/schema";
import { NotFoundError } from "@/lib/http/errors";
import { isUuid } from "@/lib/http/ids";
import { writeAudit, type AuditActor } from "@/lib/orgs/audit";
import { SettingsError } from "@/lib/clusters/prometheus-settings";
import { checkUrlResolved, OutboundBlockedError, policyFromEnv, type OutboundPolicy } from "@/lib/security/outbound";
import { decryptSecret, encryptSecret, secretKeyFromEnv } from "@/lib/security/secrets";
import { newToken } from "@/lib/security/tokens";
import { channelRulesSchema, createChannelInput, DEFAULT_CHANNEL_RULES, updateChannelInput, type ChannelRules } from "@/lib/schemas/notifications";

export interface ChannelView {
  id: string;
  name: string;
  kind: "slack" | "webhook";
  /** the URL's host only: a Slack webhook URL is a credential */
  host: string;
  rules: ChannelRules;
  enabled: boolean;
  createdAt: string;
  lastDelivery: { status: string; kind: string; at: string; responseStatus: number | null; error: string | null; attempts: number; eventCount: number } | null;
}

const urlAad = (id: string) => `notification-channel:${id}:url`;
const secretAad = (id: string) => `notification-channel:${id}:secret`;

/** The URL checked by the outbound guard with its DNS answer (refused: a 400 naming the url field). */
async function checkedUrl(raw: string, policy: OutboundPolicy): Promise<URL> {
  try {
    return await checkUrlResolved(raw, policy);
  } catch (e) {
    if (e instanceof OutboundBlockedError) throw new SettingsError("url", e.message);
    throw e;
  }
}

const rulesOf = (v: unknown): ChannelRules => {
  const r = channelRulesSchema.safeParse(v);
  return r.success ? r.data : DEFAULT_CHANNEL_RULES;
};

/** A new notification channel: its URL checked and sealed; a webhook's signing secret generated and returned this once. */
export async function createChannel(db: Db, q: { orgId: string; input: unknown; actor: AuditActor; policy?: OutboundPolicy }): Promise<{ id: string; secret: string | null }> {
  const input = createChannelInput.parse(q.input);
  const url = await checkedUrl(input.url, q.policy ?? policyFromEnv());
  const key = secretKeyFromEnv();
  const id = crypto.randomUUID();
  const secret = input.kind === "webhook" ? `whsec_${newToken()}` : null;
  await db.transaction(async (tx) => {
    await tx.insert(notificationChannels).values({
      id, orgId: q.orgId, name: input.name, kind: input.kind, urlEnc: encryptSecret(url.toString(), urlAad(id), key), urlHost: url.host,
      secretEnc: secret ? encryptSecret(secret, secretAad(id), key) : null, rules: input.rules, enabled: input.enabled,
    });
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: "notification_channel.created", targetType: "notification_channel", targetId: id, data: { name: input.name, kind: input.kind, host: url.host, rules: input.rules } });
  });
  return { id, secret };
}

/** The organization's channels with the last delivery of each (never a URL or a secret). */
export async function listChannels(db: Db, q: { orgId: string }): Promise<ChannelView[]> {
  const rows = await db.select().from(notificationChannels).where(eq(notificationChannels.orgId, q.orgId)).orderBy(notificationChannels.createdAt);
  const last = await db.execute<{ channelId: string; status: string; kind: string; at: Date | string; responseStatus: number | null; error: string | null; attempts: number; eventCount: number }>(sql`
    select distinct on (channel_id) channel_id as "channelId", status, kind, coalesce(last_attempt_at, created_at) as at,
      response_status as "responseStatus", error, attempts, event_count as "eventCount"
    from notification_deliveries where org_id = ${q.orgId} order by channel_id, created_at desc`);
  const byChannel = new Map(last.rows.map((r) => [r.channelId, r]));
  return rows.map((r) => {
    const d = byChannel.get(r.id);
    return {
      id: r.id, name: r.name, kind: r.kind as ChannelView["kind"], host: r.urlHost, rules: rulesOf(r.rules), enabled: r.enabled, createdAt: r.createdAt.toISOString(),
      lastDelivery: d ? { status: d.status, kind: d.kind, at: new Date(d.at).toISOString(), responseStatus: d.responseStatus, error: d.error, attempts: Number(d.attempts), eventCount: Number(d.eventCount) } : null,
    };
  });
}

/** Changes a channel's name, URL (checked and sealed again), rules or on/off; audited. */
export async function updateChannel(db: Db, q: { orgId: string; id: string; input: unknown; actor: AuditActor; policy?: OutboundPolicy }): Promise<void> {
  if (!isUuid(q.id)) throw new NotFoundError("notification channel");
  const input = updateChannelInput.parse(q.input);
  const url = input.url ? await checkedUrl(input.url, q.policy ?? policyFromEnv()) : null;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(notificationChannels)
      .set({
        ...(input.name ? { name: input.name } : {}), ...(input.rules ? { rules: input.rules } : {}), ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(url ? { urlEnc: encryptSecret(url.toString(), urlAad(q.id), secretKeyFromEnv()), urlHost: url.host } : {}),
        updatedAt: new Date(),
      })
      .where(and(eq(notificationChannels.id, q.id), eq(notificationChannels.orgId, q.orgId)))
      .returning({ id: notificationChannels.id });
    if (!row) throw new NotFoundError("notification channel");
    await writeAudit(tx, {
      orgId: q.orgId, actor: q.actor, action: "notification_channel.updated", targetType: "notification_channel", targetId: q.id,
      data: { ...(input.name ? { name: input.name } : {}), ...(input.rules ? { rules: input.rules } : {}), ...(input.enabled !== undefined ? { enabled: input.enabled } : {}), ...(url ? { host: url.host } : {}) },
    });
  });
}

/** Deletes a channel with its deliveries and pending events; audited. */
export async function deleteChannel(db: Db, q: { orgId: string; id: string; actor: AuditActor }): Promise<void> {
  if (!isUuid(q.id)) throw new NotFoundError("notification channel");
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(notificationChannels).where(and(eq(notificationChannels.id, q.id), eq(notificationChannels.orgId, q.orgId))).returning({ name: notificationChannels.name });
    if (!row) throw new NotFoundError("notification channel");
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: "notification_channel.deleted", targetType: "notification_channel", targetId: q.id, data: { name: row.name } });
  });
}

/** A channel's URL and signing secret, unsealed for a send (never shown). */
export interface ChannelTarget {
  id: string;
  orgId: string;
  name: string;
  kind: "slack" | "webhook";
  url: string;
  secret: string | null;
  enabled: boolean;
  rules: ChannelRules;
}

/** One of the organization's channels, unsealed; null when it is not the organization's. */
export async function getChannelTarget(db: Db, q: { orgId: string; id: string }): Promise<ChannelTarget | null> {
  if (!isUuid(q.id)) return null;
  const [row] = await db.select().from(notificationChannels).where(and(eq(notificationChannels.id, q.id), eq(notificationChannels.orgId, q.orgId))).limit(1);
  if (!row) return null;
  const key = secretKeyFromEnv();
  return {
    id: row.id, orgId: row.orgId, name: row.name, kind: row.kind as ChannelTarget["kind"], enabled: row.enabled, rules: rulesOf(row.rules),
    url: decryptSecret(row.urlEnc, urlAad(row.id), key), secret: row.secretEnc ? decryptSecret(row.secretEnc, secretAad(row.id), key) : null,
  };
}

/** The latest deliveries of a channel, newest first. */
export async function listDeliveries(db: Db, q: { orgId: string; channelId: string; limit?: number }) {
  return db
    .select()
    .from(notificationDeliveries)
    .where(and(eq(notificationDeliveries.orgId, q.orgId), eq(notificationDeliveries.channelId, q.channelId)))
    .orderBy(desc(notificationDeliveries.createdAt))
    .limit(q.limit ?? 20);
}
