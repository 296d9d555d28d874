import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { notificationChannels, notificationDeliveries, notificationEvents, organizations } from "@/db/schema";
import { NotFoundError } from "@/lib/http/errors";
import { writeAudit, type AuditActor } from "@/lib/orgs/audit";
import { policyFromEnv, type OutboundPolicy } from "@/lib/security/outbound";
import { channelRulesSchema, DEFAULT_CHANNEL_RULES, type ChannelRules, type NotifyEventKind } from "@/lib/schemas/notifications";
import { getChannelTarget, type ChannelTarget } from "./channels";
import { guardedPost, isRetryable, type PostOutcome } from "./http-post";
import { slackMessage, webhookBody, type NotifyPayload } from "./messages";
import { signedHeaders } from "./sign";

/** Something that happened to a container, for the channels whose rules want it. */
export interface NotifyEvent {
  kind: NotifyEventKind;
  /** what the rate limit counts: one message per subject per channel window (a container; an incident) */
  subjectKey: string;
  /** told once per channel, whatever its window (a new incident) */
  once?: boolean;
  payload: NotifyPayload;
}

/** Whether a channel's rules want an event (its kind, cluster, namespace, and a leak's horizon). */
export function wants(rules: ChannelRules, e: NotifyEvent): boolean {
  if (!rules.events[e.kind]) return false;
  if (rules.clusters.length && !rules.clusters.includes(e.payload.cluster)) return false;
  if (rules.namespaces.length && !rules.namespaces.includes(e.payload.namespace)) return false;
  if (e.kind === "leak_projected" && (e.payload.timeToOomHours === null || e.payload.timeToOomHours > rules.leakWithinHours)) return false;
  return true;
}

/**
 * Queues events for the organization's enabled channels that want them, at most one per subject per
 * channel window (an atomic upsert on the throttle row: a flapping container, or two replicas
 * scanning at once, cannot get past it). Returns the channels that got new events, to be flushed.
 */
export async function emitEvents(db: Db, q: { orgId: string; events: NotifyEvent[]; now: Date }): Promise<string[]> {
  if (q.events.length === 0) return [];
  const channels = await db.select({ id: notificationChannels.id, rules: notificationChannels.rules }).from(notificationChannels).where(and(eq(notificationChannels.orgId, q.orgId), eq(notificationChannels.enabled, true)));
  const touched = new Set<string>();
  for (const c of channels) {
    const parsed = channelRulesSchema.safeParse(c.rules);
    const rules = parsed.success ? parsed.data : DEFAULT_CHANNEL_RULES;
    for (const e of q.events) {
      if (!wants(rules, e)) continue;
      const windowStart = e.once ? new Date(0) : new Date(q.now.getTime() - rules.windowMinutes * 60_000);
      const allowed = await db.execute(sql`
        insert into notification_throttle (channel_id, subject_key, last_at) values (${c.id}, ${e.subjectKey}, ${q.now})
        on conflict (channel_id, subject_key) do update set last_at = excluded.last_at
        where notification_throttle.last_at <= ${windowStart}
        returning channel_id`);
      if (allowed.rows.length === 0) continue;
      await db.insert(notificationEvents).values({ orgId: q.orgId, channelId: c.id, kind: e.kind, subjectKey: e.subjectKey, payload: e.payload, createdAt: q.now });
      touched.add(c.id);
    }
  }
  return [...touched];
}

/** A delivery that failed in a way worth retrying (5xx, network): thrown so the queue retries it with backoff. */
export class RetryableDeliveryError extends Error {}

export interface DeliveryResult {
  deliveryId: string | null;
  status: "delivered" | "failed" | "retrying" | "nothing";
  responseStatus: number | null;
  error: string | null;
  eventCount: number;
}

const orgSlug = async (db: Db, orgId: string) => (await db.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.id, orgId)))[0]?.slug ?? "";

/** The request for a channel: Slack's Block Kit, or the JSON body signed with the channel's secret. */
async function post(target: ChannelTarget, events: NotifyPayload[], q: { deliveryId: string; org: string; now: Date; policy: OutboundPolicy }): Promise<PostOutcome> {
  if (target.kind === "slack") return guardedPost(target.url, JSON.stringify(slackMessage(events, q.org)), { policy: q.policy });
  const body = JSON.stringify(webhookBody(events, { deliveryId: q.deliveryId, org: q.org, sentAt: q.now.toISOString() }));
  return guardedPost(target.url, body, { policy: q.policy, headers: { ...signedHeaders(target.secret ?? "", body, q.now.getTime() / 1000), "X-Headroom-Delivery": q.deliveryId } });
}

/**
 * One attempt at a channel's queued events, for the queue job `jobId`: the first attempt claims every
 * event waiting for the channel (a burst becomes one message) into a delivery; retries resend the same
 * delivery. 2xx: delivered. 4xx or a refused URL: failed, not retried. 5xx or a network failure:
 * recorded and thrown (RetryableDeliveryError) while attempts remain, so the queue retries with backoff.
 * A channel switched off since its events were queued sends nothing: the delivery is recorded as failed, saying so.
 */
export async function deliverChannel(db: Db, q: { orgId: string; channelId: string; jobId: string; lastAttempt: boolean; now: Date; policy?: OutboundPolicy }): Promise<DeliveryResult> {
  const target = await getChannelTarget(db, { orgId: q.orgId, id: q.channelId });
  if (!target) return { deliveryId: null, status: "nothing", responseStatus: null, error: null, eventCount: 0 };
  let [delivery] = await db.select().from(notificationDeliveries).where(and(eq(notificationDeliveries.jobId, q.jobId), eq(notificationDeliveries.orgId, q.orgId)));
  if (!delivery) {
    delivery = await db.transaction(async (tx) => {
      const [d] = await tx.insert(notificationDeliveries).values({ orgId: q.orgId, channelId: q.channelId, jobId: q.jobId, kind: "events", createdAt: q.now }).returning();
      const claimed = await tx
        .update(notificationEvents)
        .set({ deliveryId: d!.id })
        .where(and(eq(notificationEvents.orgId, q.orgId), eq(notificationEvents.channelId, q.channelId), isNull(notificationEvents.deliveryId)))
        .returning({ id: notificationEvents.id });
      if (claimed.length === 0) {
        await tx.delete(notificationDeliveries).where(eq(notificationDeliveries.id, d!.id));
        return undefined;
      }
      const [updated] = await tx.update(notificationDeliveries).set({ eventCount: claimed.length }).where(eq(notificationDeliveries.id, d!.id)).returning();
      return updated;
    });
    if (!delivery) return { deliveryId: null, status: "nothing", responseStatus: null, error: null, eventCount: 0 };
  }
  if (delivery.status === "delivered" || delivery.status === "failed") {
    return { deliveryId: delivery.id, status: delivery.status, responseStatus: delivery.responseStatus, error: delivery.error, eventCount: delivery.eventCount };
  }
  if (!target.enabled) {
    // switched off after these events were queued (or between retries): nothing leaves, and the record says why
    const error = "not sent: the channel was switched off before the message went out";
    await db.update(notificationDeliveries).set({ status: "failed", error, lastAttemptAt: q.now }).where(eq(notificationDeliveries.id, delivery.id));
    return { deliveryId: delivery.id, status: "failed", responseStatus: null, error, eventCount: delivery.eventCount };
  }
  const events = await db.select({ payload: notificationEvents.payload }).from(notificationEvents).where(eq(notificationEvents.deliveryId, delivery.id)).orderBy(notificationEvents.createdAt);
  const outcome = await post(target, events.map((e) => e.payload as NotifyPayload), { deliveryId: delivery.id, org: await orgSlug(db, q.orgId), now: q.now, policy: q.policy ?? policyFromEnv() });
  const retry = isRetryable(outcome) && !q.lastAttempt;
  const status = outcome.ok ? "delivered" : retry ? "retrying" : "failed";
  const error = outcome.ok ? null : outcome.error;
  await db
    .update(notificationDeliveries)
    .set({ status, attempts: sql`${notificationDeliveries.attempts} + 1`, responseStatus: outcome.status, error, lastAttemptAt: q.now, deliveredAt: outcome.ok ? q.now : null })
    .where(eq(notificationDeliveries.id, delivery.id));
  if (retry) throw new RetryableDeliveryError(error ?? "delivery failed");
  return { deliveryId: delivery.id, status, responseStatus: outcome.status, error, eventCount: delivery.eventCount };
}

/** A test message to one of the organization's channels, sent now (one attempt), recorded and audited. */
export async function sendTest(db: Db, q: { orgId: string; channelId: string; actor: AuditActor; now: Date; appUrl: string; policy?: OutboundPolicy }): Promise<DeliveryResult> {
  const target = await getChannelTarget(db, { orgId: q.orgId, id: q.channelId });
  if (!target) throw new NotFoundError("notification channel");
  const org = await orgSlug(db, q.orgId);
  const [d] = await db.insert(notificationDeliveries).values({ orgId: q.orgId, channelId: q.channelId, kind: "test", eventCount: 1, createdAt: q.now }).returning();
  const payload: NotifyPayload = {
    kind: "test", cluster: "example-cluster", namespace: "payments", workloadKind: "Deployment", workloadName: "payments-api", container: "api", pattern: "leak",
    workingSetBytes: 912 * 2 ** 20, limitBytes: 2 ** 30, usageOfLimit: 912 / 1024, growthBytesPerHour: 12 * 2 ** 20, timeToOomHours: 9.3, oomCount: null, incidentId: null,
    url: `${q.appUrl}/${org}/at-risk`, at: q.now.toISOString(),
  };
  const outcome = await post(target, [payload], { deliveryId: d!.id, org, now: q.now, policy: q.policy ?? policyFromEnv() });
  const status = outcome.ok ? "delivered" : "failed";
  const error = outcome.ok ? null : outcome.error;
  await db.update(notificationDeliveries).set({ status, attempts: 1, responseStatus: outcome.status, error, lastAttemptAt: q.now, deliveredAt: outcome.ok ? q.now : null }).where(eq(notificationDeliveries.id, d!.id));
  await writeAudit(db, { orgId: q.orgId, actor: q.actor, action: "notification_channel.tested", targetType: "notification_channel", targetId: q.channelId, data: { status, responseStatus: outcome.status } });
  return { deliveryId: d!.id, status, responseStatus: outcome.status, error, eventCount: 1 };
}
