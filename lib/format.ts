import { formatMeasured } from "@/lib/analysis/quantity";

/**
 * Bytes as kubectl writes a memory quantity, one way for the whole UI: `768Mi`, `1Gi`, `1280Mi` (never
 * `1.25Gi`, which kubectl does not write); a measured amount rounds to the nearest Mi (`1331Mi`) and,
 * from 10Gi up, to a tenth of a Gi (`12.5Gi`); no space before the unit; "—" for null.
 */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "—";
  return formatMeasured(bytes);
}

/** A percentage with no decimals: `87%`. */
export const formatPercent = (ratio: number | null | undefined) =>
  ratio === null || ratio === undefined || !Number.isFinite(ratio) ? "—" : `${Math.round(ratio * 100)}%`;

/** How long ago an ISO time was, in words a person reads at a glance: `3 h ago`, `2 d ago`. */
export function formatAgo(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "never";
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** A money amount with its currency: `$12.40`. */
export function formatMoney(amount: number, currency = "USD", signed = false): string {
  const f = new Intl.NumberFormat("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const s = f.format(Math.abs(amount));
  return signed ? `${amount < 0 ? "−" : "+"}${s}` : amount < 0 ? `−${s}` : s;
}

/** A Kubernetes kind as kubectl writes it in a resource name: `deployment`. */
export const kindSlug = (kind: string) => kind.toLowerCase();

export const PATTERN_LABELS: Record<string, string> = {
  leak: "Memory leak",
  limit_too_low: "Limit too low",
  spike: "Load spike",
  healthy: "Healthy",
  insufficient_data: "Not enough data",
};
