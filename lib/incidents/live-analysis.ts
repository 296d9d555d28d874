import type { AnalysisOutput, ContainerAnalysis, ContainerInput } from "@/lib/analysis";
import { refKey, type ContainerRef, type MetricsSource } from "@/lib/metrics/source";
import { analyzeFromSourceDetailed, anchorNow, ANALYSIS_ANCHOR_SECONDS } from "./analyze";

type Pricing = { currency: string; perGiBMonth: number } | null;

/** Verdicts kept per source (a few minutes of every container an organization lists). */
const KEEP = 4000;
const bySource = new WeakMap<MetricsSource, Map<string, { at: number; verdict: Promise<ContainerAnalysis> }>>();

/**
 * A container's live verdict: its analysis over the window ending at `now` anchored to the minute,
 * computed once per source, container, spec and minute, and shared by every page that shows it (the
 * overview, the incidents list, the container's own page), so none of them can say something else.
 * The engine is deterministic, so another replica computing it again finds the same.
 */
export function liveAnalysis(source: MetricsSource, q: LiveQuery): Promise<AnalysisOutput> {
  return liveContainerAnalysis(source, q).then((d) => d.analysis);
}

type LiveQuery = { ref: ContainerRef; container: ContainerInput; now: number; pricing: Pricing };

/** The live verdict with the container page's what-if basis and fewer-replicas alternative (the same cached computation). */
export function liveContainerAnalysis(source: MetricsSource, q: LiveQuery): Promise<ContainerAnalysis> {
  const at = anchorNow(q.now);
  let entries = bySource.get(source);
  if (!entries) {
    entries = new Map();
    bySource.set(source, entries);
  }
  const key = JSON.stringify([refKey(q.ref), at, q.container, q.pricing]);
  const hit = entries.get(key);
  if (hit) return hit.verdict;
  for (const [k, e] of entries) if (e.at < at - ANALYSIS_ANCHOR_SECONDS) entries.delete(k);
  while (entries.size >= KEEP) entries.delete(entries.keys().next().value!);
  const verdict = analyzeFromSourceDetailed(source, { ref: q.ref, container: q.container, now: at, pricing: q.pricing });
  const entry = { at, verdict };
  entries.set(key, entry);
  // a failed analysis is not kept (and never an unhandled rejection)
  verdict.catch(() => {
    if (entries.get(key) === entry) entries.delete(key);
  });
  return verdict;
}
