/**
 * Memory price presets: the big clouds' on-demand price of one GiB of memory for a month, taken from
 * a public price list that prices memory on its own (per GB-hour or GB-second), times 730 hours a
 * month (the providers' own monthly convention). Each says where its figure comes from and when it was
 * read; a cluster stores only the price and currency, so a preset is "chosen" when they match.
 */
export interface PricingPreset {
  id: string;
  provider: "AWS" | "GCP" | "Azure";
  label: string;
  perGiBMonth: number;
  currency: "USD";
  /** the unit price as the page lists it, and how the monthly figure follows from it */
  basis: string;
  /** the pricing page it is read from */
  sourceUrl: string;
  /** when the figure was read (ISO date) */
  asOf: string;
}

/** Hours in a month, as AWS, Google Cloud and Azure bill monthly estimates. */
export const HOURS_PER_MONTH = 730;

const perHour = (usd: number) => Math.round(usd * HOURS_PER_MONTH * 10_000) / 10_000;

export const PRICING_PRESETS: readonly PricingPreset[] = [
  {
    id: "aws-fargate-x86-us-east-1",
    provider: "AWS",
    label: "AWS Fargate, Linux/x86, us-east-1",
    perGiBMonth: perHour(0.004445),
    currency: "USD",
    basis: "$0.004445 per GB-hour of memory (Fargate on EKS/ECS, on-demand) × 730 h",
    sourceUrl: "https://aws.amazon.com/fargate/pricing/",
    asOf: "2026-11-29",
  },
  {
    id: "aws-fargate-arm-us-east-1",
    provider: "AWS",
    label: "AWS Fargate, Linux/ARM (Graviton), us-east-1",
    perGiBMonth: perHour(0.00356),
    currency: "USD",
    basis: "$0.00356 per GB-hour of memory (Fargate on Graviton, on-demand) × 730 h",
    sourceUrl: "https://aws.amazon.com/fargate/pricing/",
    asOf: "2026-11-29",
  },
  {
    id: "gcp-n2-us-central1",
    provider: "GCP",
    label: "Google Cloud N2 memory, us-central1",
    perGiBMonth: perHour(0.004237),
    currency: "USD",
    basis: "$0.004237 per GiB-hour of N2 predefined memory (Compute Engine on-demand, the nodes of a GKE Standard cluster) × 730 h",
    sourceUrl: "https://cloud.google.com/compute/vm-instance-pricing",
    asOf: "2026-11-29",
  },
  {
    id: "azure-aci-linux-eastus",
    provider: "Azure",
    label: "Azure Container Instances, Linux, East US",
    perGiBMonth: perHour(0.0000012 * 3600),
    currency: "USD",
    basis: "$0.0000012 per GB-second of memory (Container Instances, Linux, pay as you go; AKS virtual nodes run on it) × 3,600 s × 730 h",
    sourceUrl: "https://azure.microsoft.com/en-us/pricing/details/container-instances/",
    asOf: "2026-11-29",
  },
];

/** The preset a stored price and currency correspond to, if any. */
export function presetFor(perGiBMonth: number, currency: string): PricingPreset | null {
  return PRICING_PRESETS.find((p) => p.currency === currency && Math.abs(p.perGiBMonth - perGiBMonth) < 0.00005) ?? null;
}

/** A preset by id. */
export const getPreset = (id: string) => PRICING_PRESETS.find((p) => p.id === id) ?? null;
