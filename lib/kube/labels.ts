// Kubernetes' label syntax (apimachinery validation IsQualifiedName / IsValidLabelValue): a key is an
// optional DNS-1123 subdomain prefix (at most 253) and "/", then a name of at most 63 characters; a
// value is empty or such a name.
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The most labels a workload's inventory keeps (the rest are dropped, keys in order). */
export const MAX_WORKLOAD_LABELS = 64;

/** Whether `k` is a valid label key, e.g. `team` or `app.kubernetes.io/part-of`. */
export function isLabelKey(k: string): boolean {
  const slash = k.lastIndexOf("/");
  const name = slash < 0 ? k : k.slice(slash + 1);
  if (name.length > 63 || !NAME.test(name)) return false;
  if (slash < 0) return true;
  const prefix = k.slice(0, slash);
  return prefix.length <= 253 && PREFIX.test(prefix);
}

/** Whether `v` is a valid label value (empty, or at most 63 characters of the name syntax). */
export const isLabelValue = (v: string) => v === "" || (v.length <= 63 && NAME.test(v));

/**
 * The labels of an object's metadata the inventory keeps: valid keys and values only (the API server
 * never stores others, but a payload is not the API server), at most MAX_WORKLOAD_LABELS by key order.
 * Annotations are never read: they hold configuration and sometimes secrets.
 */
export function workloadLabelsOf(labels: Record<string, string> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const keys = Object.keys(labels ?? {}).filter((k) => typeof labels![k] === "string" && isLabelKey(k) && isLabelValue(labels![k]!)).sort();
  for (const k of keys.slice(0, MAX_WORKLOAD_LABELS)) out[k] = labels![k]!;
  return out;
}
