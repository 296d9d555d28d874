// Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity), as the API writes memory.
const SUFFIX: Record<string, number> = {
  "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  // milli: memory in millibytes is legal (and a classic typo for M); rounded up like the kubelet does
  m: 1e-3,
};
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m))?$/;

/** A memory quantity ("512Mi", "1G", "129e6", "0.5Gi") in whole bytes (rounded up); null when absent or not a quantity. */
export function parseQuantityBytes(q: string | number | null | undefined): number | null {
  if (q === null || q === undefined) return null;
  if (typeof q === "number") return Number.isFinite(q) && q >= 0 ? Math.ceil(q) : null;
  const m = QUANTITY.exec(q.trim());
  if (!m) return null;
  const base = Number(m[1]);
  const bytes = m[2] ? base * 10 ** Number(m[2].slice(1)) : base * SUFFIX[m[3] ?? ""]!;
  if (!Number.isFinite(bytes) || bytes < 0 || bytes > Number.MAX_SAFE_INTEGER) return null;
  return Math.ceil(bytes - 1e-9);
}
