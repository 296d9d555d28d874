// One time zone for the whole UI: UTC unless the user chose another (remembered in a cookie, so the
// server renders the same times as the browser). Times are 24-hour and name their zone.

export const TIME_ZONE_COOKIE = "headroom_tz";
export const DEFAULT_TIME_ZONE = "UTC";

/** The zone if the runtime knows it (an IANA name such as `Europe/Berlin`), else UTC. */
export function validTimeZone(tz: string | null | undefined): string {
  if (!tz || tz.length > 64) return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: tz });
    return tz;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

/** How a zone is named after a time: `UTC`, `Berlin`, `New York`. */
export const zoneName = (tz: string) => (tz === "UTC" ? "UTC" : (tz.split("/").pop() ?? tz).replace(/_/g, " "));

const ms = (t: number | string | Date) => (t instanceof Date ? t.getTime() : typeof t === "string" ? Date.parse(t) : t);
const fmt = (tz: string, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat("en-GB", { timeZone: tz, hourCycle: "h23", ...o });

/** `14:05` in the zone. */
export const formatClock = (t: number | string | Date, tz: string) => fmt(tz, { hour: "2-digit", minute: "2-digit" }).format(ms(t));

/** `14:05 UTC`, `14:05 Berlin`: a time of day with its zone named. */
export const formatClockNamed = (t: number | string | Date, tz: string) => `${formatClock(t, tz)} ${zoneName(tz)}`;

/** `3 Mar` in the zone. */
export const formatShortDate = (t: number | string | Date, tz: string) => fmt(tz, { day: "numeric", month: "short" }).format(ms(t));

/** `3 Mar 2026` in the zone. */
export const formatLongDate = (t: number | string | Date, tz: string) => fmt(tz, { day: "numeric", month: "short", year: "numeric" }).format(ms(t));

/** `14:05:09` in the zone. */
const formatClockSeconds = (t: number | string | Date, tz: string) => fmt(tz, { hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(ms(t));

/** `3 Mar 2026, 14:05 UTC` (or `14:05:09 UTC` with seconds): a moment as the whole UI writes it, its zone named. */
export const formatDateTime = (t: number | string | Date, tz: string, o: { seconds?: boolean } = {}) =>
  `${formatLongDate(t, tz)}, ${o.seconds ? formatClockSeconds(t, tz) : formatClock(t, tz)} ${zoneName(tz)}`;

/** The parts of a moment in the zone (for tick placement on that zone's hours and days). */
export function zonedParts(t: number, tz: string): { year: number; month: number; day: number; hour: number; minute: number } {
  const p = Object.fromEntries(
    fmt(tz, { year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" }).formatToParts(t).map((x) => [x.type, x.value]),
  );
  return { year: +p.year!, month: +p.month!, day: +p.day!, hour: +p.hour! % 24, minute: +p.minute! };
}

/**
 * A wall-clock time typed in the zone (`2026-11-29T14:00`, as a datetime-local input gives it) as the moment
 * it names; null when it is not one. Across a daylight-saving change the offset of the moment itself is used.
 */
export function zonedLocalToUtc(local: string, tz: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!m) return null;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  if (!Number.isFinite(asUtc)) return null;
  const first = asUtc - zoneOffsetMs(asUtc, tz);
  return asUtc - zoneOffsetMs(first, tz);
}

/** The zone's offset from UTC at `t`, in milliseconds (positive east of Greenwich). */
export function zoneOffsetMs(t: number, tz: string): number {
  const p = zonedParts(t, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return asUtc - Math.floor(t / 60_000) * 60_000;
}
