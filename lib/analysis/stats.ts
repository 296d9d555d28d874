/** Hoare-style selection: the k-th smallest value of a[lo..hi], reordering `a` in place (expected O(n)). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three as pivot keeps sorted and sawtooth inputs linear
    const x = a[lo]!, y = a[mid]!, z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** Nearest-rank quantile (0..1) of the values; `scratch` is reordered. */
export function quantile(scratch: Float64Array, q: number): number {
  if (scratch.length === 0) return NaN;
  const k = Math.min(scratch.length - 1, Math.max(0, Math.ceil(q * scratch.length) - 1));
  return select(scratch, k);
}

export interface Summary {
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Mean, p50, p95, p99 and max of the values, by selection rather than a full sort. */
export function summarize(values: Float64Array): Summary {
  const n = values.length;
  if (n === 0) return { mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  let sum = 0;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    sum += v;
    if (v > max) max = v;
  }
  const scratch = Float64Array.from(values);
  // selecting the higher ranks first leaves the lower part partitioned for the next selection
  const p99 = quantile(scratch, 0.99);
  const p95 = quantile(scratch, 0.95);
  const p50 = quantile(scratch, 0.5);
  return { mean: sum / n, p50, p95, p99, max };
}

export interface LinearFit {
  slope: number;
  intercept: number;
  r2: number;
}

/** Least-squares line through (x[i], y[i]) for i in [from, to). */
export function fitLine(x: Float64Array, y: Float64Array, from = 0, to = x.length): LinearFit {
  const n = to - from;
  if (n < 2) return { slope: 0, intercept: n === 1 ? y[from]! : 0, r2: 0 };
  let sx = 0, sy = 0;
  for (let i = from; i < to; i++) {
    sx += x[i]!;
    sy += y[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = from; i < to; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { slope: 0, intercept: my, r2: 0 };
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? 0 : (sxy * sxy) / (sxx * syy) };
}

export const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
