/** An incident closes itself after this long without another OOMKill. */
export const INCIDENT_QUIET_SECONDS = 7 * 86_400;

export interface IncidentSpan {
  firstSeenAt: number;
  lastSeenAt: number;
  oomCount: number;
  status: "open" | "resolved";
  resolvedAt: number | null;
}

/** Groups one container's OOMKill times (unix s) into incidents: a quiet week between kills ends one. */
export function groupIntoIncidents(killTimes: number[], now: number): IncidentSpan[] {
  const times = [...killTimes].sort((a, b) => a - b);
  const spans: IncidentSpan[] = [];
  for (const t of times) {
    const last = spans[spans.length - 1];
    if (last && t - last.lastSeenAt <= INCIDENT_QUIET_SECONDS) {
      last.lastSeenAt = t;
      last.oomCount++;
    } else {
      spans.push({ firstSeenAt: t, lastSeenAt: t, oomCount: 1, status: "open", resolvedAt: null });
    }
  }
  for (const s of spans) {
    if (now - s.lastSeenAt > INCIDENT_QUIET_SECONDS) {
      s.status = "resolved";
      s.resolvedAt = s.lastSeenAt + INCIDENT_QUIET_SECONDS;
    }
  }
  return spans;
}
