import { DEFAULT_TIME_ZONE, formatClockNamed, formatLongDate, formatShortDate } from "@/lib/time-zone";
import { formatBytes, formatPercent } from "@/lib/format";
import { mib } from "@/lib/analysis/quantity";


/** A container's verdict as a list row shows it (overview, incidents list): one source for that text. */
export interface RowVerdict {
  pattern: string | null;
  /** what the verdict says in a few words, without a prediction: "grows +18Mi/h" */
  text: string;
  /** "next OOMKill in ~7.3 h": only while the incident is active and the verdict predicts one */
  prediction: string | null;
  /** the hours behind `prediction` (for its colour), null without one */
  timeToOomHours: number | null;
  /** when a stored verdict was computed (ISO, UTC); null when it is the live verdict of this minute */
  storedAt: string | null;
}

/** The fields of the engine's output a row needs; a stored analysis may come from an older engine, so each is checked. */
interface VerdictFields {
  pattern: string | null;
  growthBytesPerHour: number | null;
  timeToOomHours: number | null;
  stats: { p50: number; p95: number; p99: number; max: number } | null;
  /** a runtime heap setting at or above today's limit, when that is what kills (as the page's verdict says) */
  heapAtLimit: { runtime: string; setting: string } | null;
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

function fieldsOf(analysis: unknown): VerdictFields | null {
  if (!analysis || typeof analysis !== "object") return null;
  const a = analysis as Record<string, unknown>;
  const s = a.stats && typeof a.stats === "object" ? (a.stats as Record<string, unknown>) : null;
  const stats = s && num(s.p50) !== null && num(s.p95) !== null && num(s.p99) !== null && num(s.max) !== null
    ? { p50: s.p50 as number, p95: s.p95 as number, p99: s.p99 as number, max: s.max as number }
    : null;
  const killedByHeap = Array.isArray(a.findings) && a.findings.some((x) => x && typeof x === "object" && /^(jvm_heap|node_heap|go_memlimit)_exceeds_limit$/.test(String((x as { code?: unknown }).code)));
  const ceiling = killedByHeap && Array.isArray(a.heapCeilings) ? (a.heapCeilings[0] as { runtime?: unknown; setting?: unknown } | undefined) : undefined;
  const heapAtLimit = ceiling && typeof ceiling.runtime === "string" && typeof ceiling.setting === "string" ? { runtime: ceiling.runtime, setting: ceiling.setting } : null;
  return { pattern: typeof a.pattern === "string" ? a.pattern : null, growthBytesPerHour: num(a.growthBytesPerHour), timeToOomHours: num(a.timeToOomHours), stats, heapAtLimit };
}

/** Hours to the next OOMKill as the container page's verdict writes them: `~12 min`, `~7.3 h`, `~3 d`. */
export function formatTimeToOom(hours: number): string {
  if (hours < 1) return `~${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `~${hours.toFixed(hours < 10 ? 1 : 0)} h`;
  return `~${Math.round(hours / 24)} d`;
}

/** Memory growth with its sign and unit: `+18Mi/h`, `+2.5Mi/h` (no space before the unit, as everywhere). */
export function formatGrowth(bytesPerHour: number): string {
  return `${bytesPerHour >= 0 ? "+" : "−"}${mib(Math.abs(bytesPerHour))}/h`;
}

function describe(f: VerdictFields, limitBytes: number | null): string {
  const ofLimit = (v: number) => (limitBytes ? `${formatPercent(v / limitBytes)} of the ${formatBytes(limitBytes)} limit` : formatBytes(v));
  // the page's verdict names the heap when its ceiling is what kills: the row says the same
  if (f.heapAtLimit && f.pattern !== "leak") {
    const runtime = f.heapAtLimit.runtime === "jvm" ? "JVM" : f.heapAtLimit.runtime === "node" ? "Node.js" : "Go";
    return `${runtime} heap may grow past the limit: ${f.heapAtLimit.setting} ≥ ${limitBytes ? `the ${formatBytes(limitBytes)} limit` : "the limit"}`;
  }
  switch (f.pattern) {
    case "leak":
      return f.growthBytesPerHour !== null ? `grows ${formatGrowth(f.growthBytesPerHour)}, never plateaus` : "grows in every restart cycle";
    case "limit_too_low":
      return f.stats ? `plateaus at ${ofLimit(f.stats.p95)} (p95)` : "plateaus near the limit";
    case "spike":
      return f.stats ? `bursts to ${ofLimit(f.stats.max)} from p50 ${formatBytes(f.stats.p50)}` : "bursts towards the limit";
    case "healthy":
      return f.stats ? `p99 at ${ofLimit(f.stats.p99)}` : "healthy";
    case "insufficient_data":
      return "not enough data yet";
    default:
      return "not analysed yet";
  }
}

/**
 * The row text of a verdict: the live one (`storedAt` null) or a stored one with the time it was
 * computed. A resolved incident, or a container with no incident, predicts nothing.
 */
export function rowVerdict(analysis: unknown, q: { limitBytes: number | null; active: boolean; storedAt: string | null }): RowVerdict | null {
  const f = fieldsOf(analysis);
  if (!f) return null;
  const hours = q.active ? f.timeToOomHours : null;
  return {
    pattern: f.pattern,
    text: describe(f, q.limitBytes),
    prediction: hours === null ? null : `next OOMKill in ${formatTimeToOom(hours)}`,
    timeToOomHours: hours,
    storedAt: q.storedAt,
  };
}

/**
 * A moment near now in the UI's zone, named: `08:12 UTC` the same day there, `5 Jan 08:12 Berlin` before
 * (a stored verdict's time, a snooze's end).
 */
export function formatStoredAt(iso: string, nowMs: number, tz: string = DEFAULT_TIME_ZONE): string {
  const time = formatClockNamed(iso, tz);
  const sameDay = formatLongDate(nowMs, tz) === formatLongDate(iso, tz);
  return sameDay ? time : `${formatShortDate(iso, tz)} ${time}`;
}
