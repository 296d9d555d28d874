import { z } from "zod";

const labelSet = z.record(z.string().max(1024), z.string().max(16_384));
// RFC 3339 has four-digit years (Alertmanager's "no end" is 0001-01-01T00:00:00Z); an expanded year Postgres cannot store is a 400, not a 500
const time = z.string().max(64).refine((s) => /^\d{4}-\d{2}-\d{2}[Tt ]/.test(s) && !Number.isNaN(Date.parse(s)), "an RFC 3339 time, e.g. 2026-11-29T10:00:00Z");

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
