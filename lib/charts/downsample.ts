export interface ChartPoint {
  t: number;
  ws: number;
  rss: number | null;
  cache: number | null;
}

const valueAt = (a: Float64Array | null, i: number) => (a && Number.isFinite(a[i]) ? a[i]! : null);

/**
 * At most `maxPoints` chart points: the samples are cut into maxPoints / 2 buckets and each keeps
 * its lowest and its highest working-set sample (in time order, with that moment's RSS and cache),
 * so a one-sample spike that killed the container, and the drop after it, survive the thinning.
 */
export function downsample(t: Float64Array, ws: Float64Array, rss: Float64Array | null, cache: Float64Array | null, maxPoints: number): ChartPoint[] {
  const n = t.length;
  if (n === 0) return [];
  const point = (i: number): ChartPoint => ({ t: t[i]!, ws: ws[i]!, rss: valueAt(rss, i), cache: valueAt(cache, i) });
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => point(i));
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const per = Math.ceil(n / buckets);
  const out: ChartPoint[] = [];
  for (let start = 0; start < n; start += per) {
    const end = Math.min(n, start + per);
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      if (ws[i]! > ws[hi]!) hi = i;
      if (ws[i]! < ws[lo]!) lo = i;
    }
    if (lo === hi) out.push(point(hi));
    else if (lo < hi) out.push(point(lo), point(hi));
    else out.push(point(hi), point(lo));
  }
  return out;
}

/** An OOMKill on the chart: when it happened, and the working set of the spike it ended. */
export interface OomMarker {
  t: number;
  ws: number;
}

/**
 * Where each OOMKill's marker sits: at the kill's time, on the highest point within a point's
 * spacing before it or after it (a max-per-step series dates a step's peak at the step's end, which
 * can fall just after the kill it caused). A kill with no point that close sits at the last value
 * before it, or at 0.
 */
export function oomMarkers(points: ChartPoint[], ooms: number[]): OomMarker[] {
  if (points.length === 0) return [];
  const first = points[0]!.t;
  const last = points[points.length - 1]!.t;
  // the typical gap between neighbouring points (restart gaps are the exception)
  const spacing = points.length > 1 ? Math.max(1, medianGap(points)) : 1;
  return ooms
    .filter((at) => at >= first && at <= last)
    .map((at) => {
      let best: number | null = null;
      let before: number | null = null;
      for (const p of points) {
        if (p.t <= at) before = p.ws;
        if (p.t >= at - 2 * spacing && p.t <= at + spacing && (best === null || p.ws > best)) best = p.ws;
        if (p.t > at + spacing) break;
      }
      return { t: at, ws: best ?? before ?? 0 };
    });
}

function medianGap(points: ChartPoint[]): number {
  const gaps = new Float64Array(points.length - 1);
  for (let i = 1; i < points.length; i++) gaps[i - 1] = points[i]!.t - points[i - 1]!.t;
  gaps.sort();
  return gaps[gaps.length >> 1]!;
}
