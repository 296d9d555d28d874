import { z } from "zod";
import { PRICING_PRESETS } from "@/lib/cost/pricing";
import { isLabelKey } from "@/lib/kube/labels";

const ISO_4217 = new Set(Intl.supportedValuesOf("currency"));

/** An active ISO 4217 currency code (upper case). */
export const currencyCode = z
  .string()
  .trim()
  .refine((c) => /^[A-Z]{3}$/.test(c) && ISO_4217.has(c), "an ISO 4217 currency code in capitals, e.g. USD or EUR");

/** A cluster's memory price: a preset by id, or a custom price per GiB-month and its currency. */
export const clusterPricingInput = z
  .object({
    preset: z.enum(PRICING_PRESETS.map((p) => p.id) as [string, ...string[]]).optional(),
    perGiBMonth: z.number().finite().min(0, "at least 0").max(10_000, "at most 10,000 a GiB-month").optional(),
    currency: currencyCode.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.preset !== undefined) {
      if (v.perGiBMonth !== undefined || v.currency !== undefined) ctx.addIssue({ code: "custom", path: ["preset"], message: "a preset sets the price and currency itself: send one or the other" });
      return;
    }
    if (v.perGiBMonth === undefined) ctx.addIssue({ code: "custom", path: ["perGiBMonth"], message: "a price per GiB-month is required without a preset" });
    if (v.currency === undefined) ctx.addIssue({ code: "custom", path: ["currency"], message: "a currency is required without a preset" });
  });
export type ClusterPricingInput = z.infer<typeof clusterPricingInput>;

export const COST_SORTS = ["delta", "deltaPerReplica", "current", "ooms", "avoided", "name", "cluster", "namespace", "risk"] as const;
export const COST_DIRECTIONS = ["all", "add", "save", "neutral"] as const;
export const COST_GROUPS = ["cluster", "namespace", "label"] as const;
/** The label the cost page groups teams by unless told another. */
export const DEFAULT_COST_LABEL = "team";

const text = z.string().trim().max(200).optional();

/** Query of the cost page, its API and its CSV: filters, sort, page, and the breakdown's grouping. */
export const costQuery = z.object({
  cluster: text,
  namespace: text,
  direction: z.enum(COST_DIRECTIONS).default("all"),
  q: text,
  sort: z.enum(COST_SORTS).default("delta"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
  group: z.enum(COST_GROUPS).default("cluster"),
  /** the workload label key the breakdown groups by (group=label) and the CSV's label column reads: `team` unless told */
  label: z.string().trim().max(317).refine(isLabelKey, "a Kubernetes label key, e.g. team or app.kubernetes.io/part-of").default(DEFAULT_COST_LABEL),
});
export type CostQuery = z.infer<typeof costQuery>;
