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

/**
 * The name kube-state-metrics gives a label key in its `kube_*_labels` series, without the `label_`
 * prefix (its internal/store/utils.go): characters outside [a-zA-Z0-9_] become `_`, then camelCase
 * becomes snake_case, lower-cased — `app.kubernetes.io/part-of` is `app_kubernetes_io_part_of`,
 * `costCenter` is `cost_center`. (Two keys of one object that meet after this get `_conflict1`, `_conflict2`
 * suffixes there; those are kept under the suffixed names.)
 */
export function ksmLabelKey(key: string): string {
  return key.replace(/[^a-zA-Z0-9_]/g, "_").replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/**
 * A workload's value of the label `key` (own keys only): as stored, else the one key that is the same
 * once written kube-state-metrics' way — labels read from Prometheus carry `app_kubernetes_io_part_of`,
 * from the Kubernetes API `app.kubernetes.io/part-of`, and asking for either finds both.
 */
export function labelValue(labels: Record<string, string> | null | undefined, key: string): string | null {
  if (!labels) return null;
  if (Object.hasOwn(labels, key)) return labels[key]!;
  const want = ksmLabelKey(key);
  for (const [k, v] of Object.entries(labels)) if (ksmLabelKey(k) === want) return v;
  return null;
}
