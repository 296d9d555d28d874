import { z } from "zod";

export const CHANNEL_KINDS = ["slack", "webhook"] as const;
export const NOTIFY_EVENT_KINDS = ["incident_opened", "critical", "leak_projected"] as const;
export type NotifyEventKind = (typeof NOTIFY_EVENT_KINDS)[number];

const names = z.array(z.string().trim().min(1).max(253)).max(50).default([]);

/** Which events a channel receives, from which clusters and namespaces (empty: all), and how often per container. */
export const channelRulesSchema = z
  .object({
    events: z.object({ incident_opened: z.boolean(), critical: z.boolean(), leak_projected: z.boolean() }).strict(),
    /** a leak is sent when the engine projects its OOMKill within this many hours */
    leakWithinHours: z.number().int().min(1, "at least 1").max(720, "at most 720 (30 days)"),
    clusters: names,
    namespaces: names,
    /** at most one message per container per this many minutes */
    windowMinutes: z.number().int().min(5, "at least 5").max(10_080, "at most a week (10080)"),
  })
  .strict();
export type ChannelRules = z.infer<typeof channelRulesSchema>;

export const DEFAULT_CHANNEL_RULES: ChannelRules = { events: { incident_opened: true, critical: true, leak_projected: true }, leakWithinHours: 24, clusters: [], namespaces: [], windowMinutes: 60 };

/** A new channel: a Slack-compatible incoming webhook, or a JSON webhook signed with a secret Headroom generates. */
export const createChannelInput = z
  .object({
    name: z.string().trim().min(1, "a name, e.g. #oncall").max(80),
    kind: z.enum(CHANNEL_KINDS),
    url: z.string().trim().min(1, "the webhook URL").max(2048),
    rules: channelRulesSchema.default(DEFAULT_CHANNEL_RULES),
    enabled: z.boolean().default(true),
  })
  .strict();
export type CreateChannelInput = z.infer<typeof createChannelInput>;

/** A change to a channel: a new URL is optional (the stored one stays). */
export const updateChannelInput = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    url: z.string().trim().min(1).max(2048).optional(),
    rules: channelRulesSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export type UpdateChannelInput = z.infer<typeof updateChannelInput>;
