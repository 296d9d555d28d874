import { z } from "zod";

const text = z.string().trim().max(200).optional();

export const AT_RISK_SEVERITIES = ["all", "critical", "warning", "leak", "stalling"] as const;

/** Query of the at-risk page and its API: filters and page. */
export const atRiskQuery = z.object({
  cluster: text,
  namespace: text,
  severity: z.enum(AT_RISK_SEVERITIES).default("all"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});
export type AtRiskQuery = z.infer<typeof atRiskQuery>;

const percent = (min: number, max: number) => z.number().int().min(min, `at least ${min}`).max(max, `at most ${max}`);

/** The organization's alert levels (percent of the memory limit, minutes, hours). */
export const alertSettingsInput = z
  .object({
    warningPercent: percent(50, 99),
    criticalPercent: percent(51, 100),
    sustainedPercent: percent(50, 100),
    sustainedMinutes: z.number().int().min(1, "at least 1").max(1440, "at most 1440 (a day)"),
    leakWithinHours: z.number().int().min(1, "at least 1").max(720, "at most 720 (30 days)"),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.criticalPercent <= v.warningPercent) ctx.addIssue({ code: "custom", path: ["criticalPercent"], message: "must be above the warning level" });
  });
export type AlertSettingsInput = z.infer<typeof alertSettingsInput>;
export type AlertSettings = AlertSettingsInput;

/** The domain guide's levels: warning at 85%, critical at 95%, HighMemoryUsage at 90% for 10 m. */
export const DEFAULT_ALERT_SETTINGS: AlertSettings = Object.freeze({ warningPercent: 85, criticalPercent: 95, sustainedPercent: 90, sustainedMinutes: 10, leakWithinHours: 24 });
