export interface ChartPoint {
  t: number;
  ws: number;
  rss: number | null;
  cache: number | null;
}

/**
 * At most `maxPoints` chart points: each bucket keeps its highest working-set sample (with that
 * moment's RSS and cache), so peaks that matter for OOMKills survive the thinning.
 */
export function downsample(t: Float64Array, ws: Float64Array, rss: Float64Array | null, cache: Float64Array | null, maxPoints: number): ChartPoint[] {
  const n = t.length;
  if (n === 0) return [];
  const per = Math.max(1, Math.ceil(n / maxPoints));
  const out: ChartPoint[] = [];
  for (let start = 0; start < n; start += per) {
    let best = start;
    const end = Math.min(n, start + per);
    for (let i = start + 1; i < end; i++) if (ws[i]! > ws[best]!) best = i;
    out.push({ t: t[best]!, ws: ws[best]!, rss: rss && Number.isFinite(rss[best]) ? rss[best]! : null, cache: cache && Number.isFinite(cache[best]) ? cache[best]! : null });
  }
  return out;
}
