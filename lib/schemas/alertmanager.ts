import { z } from "zod";

const labelSet = z.record(z.string().max(1024), z.string().max(16_384));
const time = z.string().max(64).refine((s) => !Number.isNaN(Date.parse(s)), "an RFC 3339 time");

/** One alert of an Alertmanager webhook (version 4). */
export const alertmanagerAlertSchema = z.object({
  status: z.enum(["firing", "resolved"]),
  labels: labelSet.refine((l) => typeof l.alertname === "string" && l.alertname.length > 0, { message: "every alert needs an alertname label", path: ["alertname"] }),
  annotations: labelSet.default({}),
  startsAt: time,
  endsAt: time.optional(),
  generatorURL: z.string().max(4096).optional(),
  fingerprint: z.string().max(128).optional(),
});

/** The body Alertmanager's webhook_config posts (version 4); unknown fields are ignored. */
export const alertmanagerWebhookSchema = z.object({
  version: z.literal("4"),
  groupKey: z.string().max(4096).optional(),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(["firing", "resolved"]),
  receiver: z.string().max(1024).default(""),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().max(4096).optional(),
  alerts: z.array(alertmanagerAlertSchema).max(1000, "at most 1000 alerts a webhook"),
});
export type AlertmanagerWebhook = z.infer<typeof alertmanagerWebhookSchema>;
export type AlertmanagerAlert = z.infer<typeof alertmanagerAlertSchema>;
