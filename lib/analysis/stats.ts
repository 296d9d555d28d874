/** Hoare-style selection: the k-th smallest value of a[lo..hi], reordering `a` in place (expected O(n)). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  // Stryker disable next-line EqualityOperator: at hi = lo one more pass swaps a[lo] with itself and returns a[k], the same
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three as pivot keeps sorted and sawtooth inputs linear; any of the three is a valid pivot (an element of
    // the range), so a mutated choice changes the speed, never the result
    const x = a[lo]!, y = a[mid]!, z = a[hi]!;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
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
    else if (
      // between j and i every element equals the pivot: searching [i, hi] leaves a[k] as it is, the pivot, the answer
      // Stryker disable next-line ConditionalExpression: see above
      k >= i
    ) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** Nearest-rank quantile (0..1) of the values; `scratch` is reordered. */
export function quantile(scratch: Float64Array, q: number): number {
  if (scratch.length === 0) return NaN;
  return select(scratch, rankOf(q, scratch.length));
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
  return summarizeAll([values]).summary;
}

/**
 * The same statistics over several arrays taken as one (every pod of a container), without copying
 * them together, plus each array's own maximum.
 */
export function summarizeAll(parts: Float64Array[]): { summary: Summary; maxes: number[] } {
  let n = 0;
  for (const values of parts) n += values.length;
  // the histogram path is exact, and when it gives up (null) the plain path gives the same figures: which one runs changes
  // only the speed (a mutant there is equivalent in results)
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: see above
  if (n >= 2048) {
    const fast = histogramSummary(parts, n);
    // Stryker disable next-line ConditionalExpression: see above
    if (fast) return fast;
  }
  let sum = 0;
  let max = -Infinity;
  const maxes: number[] = [];
  // a plain loop over a helper: a closure here would keep sum and max in a context, off the registers
  for (const values of parts) {
    const r = scan(values);
    sum += r.sum;
    // Stryker disable next-line EqualityOperator: >= assigns an equal value
    if (r.max > max) max = r.max;
    maxes.push(r.max);
  }
  if (n === 0) return { summary: { mean: 0, p50: 0, p95: 0, p99: 0, max: 0 }, maxes };
  const pooled = new Float64Array(n);
  let o = 0;
  for (const values of parts) {
    pooled.set(values, o);
    o += values.length;
  }
  const p = selectedQuantiles(pooled, QS);
  return { summary: { mean: sum / n, p50: p[0]!, p95: p[1]!, p99: p[2]!, max }, maxes };
}

const QS = [0.5, 0.95, 0.99];

function scan(values: Float64Array): { sum: number; max: number } {
  let sum = 0;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    sum += v;
    // Stryker disable next-line EqualityOperator: >= assigns an equal value
    if (v > max) max = v;
  }
  return { sum, max };
}

// Stryker disable next-line ArithmeticOperator: for q <= 1, ceil(q * n) - 1 <= n - 1 already: the bound only guards against rounding
const rankOf = (q: number, n: number) => Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));

/** Nearest-rank quantiles by quickselect on a copy; higher ranks first, each selection bounded by the previous one. */
function selectedQuantiles(values: Float64Array, qs: number[]): number[] {
  const scratch = Float64Array.from(values);
  // Stryker disable next-line ArrayDeclaration: an array grows as it is filled; the length only preallocates
  const out = new Array<number>(qs.length);
  let hi = scratch.length;
  for (let j = qs.length - 1; j >= 0; j--) {
    const k = rankOf(qs[j]!, scratch.length);
    out[j] = select(scratch.subarray(0, hi), k);
    hi = k + 1; // everything below rank k now sits in [0, k]
  }
  return out;
}

const BINS = 4096;

/** The bin of a value; values outside the guessed range go to the edge bins (clamped before truncating, so no overflow). */
// The percentiles come out exact for any binning that never puts a larger value in a lower bin (the wanted ranks are
// found by counting, then selected inside their bins): a mutant that keeps the mapping non-decreasing (another offset,
// scale or clamp, even all values in one bin) changes only the speed.
const binIndex = (v: number, lo: number, scale: number, bins: number) => {
  // Stryker disable next-line ArithmeticOperator: see above
  const x = (v - lo) * scale;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
  return x <= 0 ? 0 : x >= bins - 1 ? bins - 1 : x | 0;
};

function countScan(counts: Int32Array, values: Float64Array, lo: number, scale: number, bins: number): { sum: number; max: number } {
  let sum = 0;
  let max = -Infinity;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    sum += v;
    // Stryker disable next-line EqualityOperator: >= assigns an equal value
    if (v > max) max = v;
    const b = binIndex(v, lo, scale, bins);
    counts[b] = counts[b]! + 1;
  }
  return { sum, max };
}

function keepInto(kept: Float64Array, fill: Int32Array, want: Int32Array, values: Float64Array, lo: number, scale: number, bins: number) {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const w = want[binIndex(v, lo, scale, bins)]!;
    // Stryker disable next-line ConditionalExpression: for an unwanted bin (w = -1) fill[-1] is undefined, so the write goes to kept[NaN], which a typed array ignores
    if (w >= 0) kept[fill[w]!++] = v;
  }
}

let countsScratch = new Int32Array(BINS);
let wantScratch = new Int32Array(BINS);

/**
 * Statistics and exact nearest-rank percentiles in two passes, without sorting: the value range is
 * guessed from every 16th sample; one pass sums, finds the extremes and fills a histogram (values
 * outside the guess land in the edge bins); the bins holding the wanted ranks are known from the
 * counts; a second pass keeps only their values, and a small selection inside them finishes.
 * Null when the values are (nearly) constant, for the plain path.
 */
// Stryker disable next-line BlockStatement: an empty body returns undefined, and summarizeAll then takes the plain path (the same figures, slower)
function histogramSummary(parts: Float64Array[], n: number): { summary: Summary; maxes: number[] } | null {
  // the range guess only sets the bins' offset and scale (see binIndex), or makes the path give up: speed, not results
  let lo = Infinity;
  // Stryker disable next-line UnaryOperator: see above
  let hi = -Infinity;
  // Stryker disable next-line BlockStatement: see above
  for (const values of parts) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: see above
    for (let i = 0; i < values.length; i += 16) {
      const v = values[i]!;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
      if (v < lo) lo = v;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
      if (v > hi) hi = v;
    }
  }
  // Stryker disable next-line BooleanLiteral,ConditionalExpression,EqualityOperator: see above (with hi = lo every value lands in an edge bin)
  if (!(hi > lo)) return null;
  // about four values a bin: enough resolution, and the bin arrays stay small for short series (any count is exact)
  // Stryker disable next-line MethodExpression: see above
  const bins = Math.min(BINS, Math.max(256, n >> 2));
  // Stryker disable next-line ArithmeticOperator: see above
  const scale = (bins - 1) / (hi - lo);
  // at most BINS bins, the scratch arrays' size from the start: growing them is for a larger BINS
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: see above
  if (countsScratch.length < bins) {
    countsScratch = new Int32Array(bins);
    wantScratch = new Int32Array(bins);
  }
  const counts = countsScratch.subarray(0, bins);
  counts.fill(0);
  let sum = 0;
  let max = -Infinity;
  const maxes: number[] = [];
  for (const values of parts) {
    const r = countScan(counts, values, lo, scale, bins);
    sum += r.sum;
    // Stryker disable next-line EqualityOperator: >= assigns an equal value
    if (r.max > max) max = r.max;
    maxes.push(r.max);
  }
  // the bin of each rank, and how many values lie in the bins before it
  const qs = QS;
  const binOf = new Int32Array(qs.length);
  const before = new Int32Array(qs.length);
  let acc = 0;
  let j = 0;
  const ranks = qs.map((q) => rankOf(q, n));
  // every rank is below n, the sum of all counts: the ranks run out before the bins do, and ranks[j] past the end is
  // undefined, for which no comparison holds
  // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: see above
  for (let b = 0; b < bins && j < ranks.length; b++) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
    while (j < ranks.length && ranks[j]! < acc + counts[b]!) {
      binOf[j] = b;
      before[j] = acc;
      j++;
    }
    acc += counts[b]!;
  }
  const want = wantScratch.subarray(0, bins);
  want.fill(-1);
  // a placeholder first offset shifts every region's index by one, consistently; a bin given a second region keeps its
  // values in the last one, which is the one read; binOf[ranks.length] is undefined and wants nothing
  // Stryker disable next-line ArrayDeclaration: see above
  const offsets: number[] = [];
  let size = 0;
  // Stryker disable next-line EqualityOperator: see above
  for (let q = 0; q < ranks.length; q++) {
    const b = binOf[q]!;
    // Stryker disable next-line ConditionalExpression: see above
    if (want[b] === -1) {
      want[b] = offsets.length;
      offsets.push(size);
      size += counts[b]!;
    }
  }
  const kept = new Float64Array(size);
  const fill = Int32Array.from(offsets);
  for (const values of parts) keepInto(kept, fill, want, values, lo, scale, bins);
  const p = ranks.map((k, q) => {
    const w = want[binOf[q]!]!;
    const from = offsets[w]!;
    return select(kept.subarray(from, from + counts[binOf[q]!]!), k - before[q]!);
  });
  return { summary: { mean: sum / n, p50: p[0]!, p95: p[1]!, p99: p[2]!, max }, maxes };
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

// Stryker disable next-line EqualityOperator: at 0 and 1 both branches give the same value
export const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
