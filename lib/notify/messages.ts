import { formatBytes, formatPercent } from "@/lib/format";
import { formatGrowth, formatTimeToOom } from "@/lib/incidents/verdict-line";
import type { NotifyEventKind } from "@/lib/schemas/notifications";

/** One thing to tell a channel about, as stored with the event and sent in the JSON webhook. */
export interface NotifyPayload {
  kind: NotifyEventKind | "test";
  cluster: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  container: string;
  pattern: string | null;
  workingSetBytes: number | null;
  limitBytes: number | null;
  usageOfLimit: number | null;
  growthBytesPerHour: number | null;
  timeToOomHours: number | null;
  oomCount: number | null;
  incidentId: string | null;
  /** the incident's page, or the container's (absolute when the public URL is configured) */
  url: string;
  /** when it was seen (ISO) */
  at: string;
}

const TITLES: Record<NotifyPayload["kind"], string> = {
  incident_opened: "New OOMKill incident",
  critical: "Critical: at the memory limit",
  leak_projected: "Leak projected to hit its limit",
  test: "Test notification",
};

/** The numbers in one line: "97% of the 1Gi limit (995Mi) · growing +18Mi/h, OOMKill in ~3 h · 4 OOMKills". */
export function numbersLine(p: NotifyPayload): string {
  const parts: string[] = [];
  if (p.usageOfLimit !== null && p.limitBytes !== null) parts.push(`${formatPercent(p.usageOfLimit)} of the ${formatBytes(p.limitBytes)} limit (${formatBytes(p.workingSetBytes)})`);
  if (p.growthBytesPerHour !== null && p.timeToOomHours !== null) parts.push(`growing ${formatGrowth(p.growthBytesPerHour)}, OOMKill in ${formatTimeToOom(p.timeToOomHours)}`);
  if (p.oomCount) parts.push(`${p.oomCount} OOMKill${p.oomCount === 1 ? "" : "s"}`);
  if (p.pattern) parts.push(`verdict: ${p.pattern.replace(/_/g, " ")}`);
  return parts.join(" · ");
}

const target = (p: NotifyPayload) => `${p.workloadName}/${p.container}`;
const escapeMrkdwn = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** At most this many events in one message; the rest are counted. */
export const MAX_EVENTS_PER_MESSAGE = 20;

/** A Slack incoming-webhook message (Block Kit, with a text fallback) for a group of events. */
export function slackMessage(events: NotifyPayload[], org: string): object {
  const shown = events.slice(0, MAX_EVENTS_PER_MESSAGE);
  const title = events.length === 1 ? TITLES[events[0]!.kind] : `${events.length} memory warnings`;
  const blocks: object[] = [{ type: "header", text: { type: "plain_text", text: `Headroom · ${title}`.slice(0, 150) } }];
  for (const e of shown) {
    const link = /^https?:\/\//.test(e.url) ? ` · <${e.url}|${e.incidentId ? "Open the incident" : "Open the container"}>` : "";
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: `*${TITLES[e.kind]}* · \`${escapeMrkdwn(target(e))}\` on ${escapeMrkdwn(e.cluster)} / ${escapeMrkdwn(e.namespace)}\n${escapeMrkdwn(numbersLine(e))}${link}`.slice(0, 3000) },
    });
  }
  if (events.length > shown.length) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `…and ${events.length - shown.length} more in Headroom (${escapeMrkdwn(org)})` }] });
  return { text: `Headroom: ${title}${events.length === 1 ? ` — ${target(events[0]!)} on ${events[0]!.cluster}` : ""}`, blocks };
}

/** The generic JSON webhook's body for a group of events. */
export function webhookBody(events: NotifyPayload[], q: { deliveryId: string; org: string; sentAt: string }): object {
  return { type: "headroom.notification", version: 1, id: q.deliveryId, organization: q.org, sentAt: q.sentAt, events };
}
