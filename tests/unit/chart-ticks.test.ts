import { describe, expect, it } from "vitest";
import { memoryTicks } from "@/lib/charts/ticks";
import { formatBytes } from "@/lib/format";
import { formatClock, formatDateTime, formatShortDate, validTimeZone, zonedLocalToUtc, zoneName, zoneOffsetMs } from "@/lib/time-zone";

const Mi = 1024 * 1024;
const labels = (max: number, n?: number) => memoryTicks(max, n).map((b) => (b === 0 ? "0" : formatBytes(b)));

describe("memory chart ticks", () => {
  it("steps by powers of two in Mi, the top at or above the data", () => {
    expect(labels(530 * Mi)).toEqual(["0", "128Mi", "256Mi", "384Mi", "512Mi", "640Mi"]);
    expect(labels(512 * Mi)).toEqual(["0", "128Mi", "256Mi", "384Mi", "512Mi"]);
    expect(labels(2100 * Mi)).toEqual(["0", "512Mi", "1Gi", "1536Mi", "2Gi", "2560Mi"]);
    expect(labels(8 * 1024 * Mi)).toEqual(["0", "2Gi", "4Gi", "6Gi", "8Gi"]);
    expect(labels(0)).toEqual(["0", "1Mi"]);
  });

  it("a phone's chart gets at most 4 ticks", () => {
    expect(labels(530 * Mi, 4)).toEqual(["0", "256Mi", "512Mi", "768Mi"]);
    expect(labels(768 * Mi, 4)).toEqual(["0", "256Mi", "512Mi", "768Mi"]);
    expect(labels(769 * Mi, 4)).toEqual(["0", "512Mi", "1Gi"]);
    for (const max of [1, 37, 300, 1000, 5000, 70_000]) {
      const t = memoryTicks(max * Mi, 4);
      expect(t.length).toBeLessThanOrEqual(4);
      expect(t.at(-1)!).toBeGreaterThanOrEqual(max * Mi);
      const step = t[1]! / Mi;
      expect(Math.log2(step) % 1).toBe(0);
    }
  });
});

describe("the UI's time zone", () => {
  const t = Date.UTC(2026, 2, 3, 14, 5); // 3 Mar 2026 14:05 UTC
  it("writes 24-hour times naming the zone, UTC by default", () => {
    expect(formatDateTime(t, "UTC")).toBe("3 Mar 2026, 14:05 UTC");
    expect(formatDateTime(t, "Europe/Berlin")).toBe("3 Mar 2026, 15:05 Berlin");
    expect(formatDateTime(t, "America/New_York")).toBe("3 Mar 2026, 09:05 New York");
    expect(formatClock(Date.UTC(2026, 2, 3, 0, 30), "UTC")).toBe("00:30");
    expect(formatShortDate(Date.UTC(2026, 2, 3, 23, 30), "Asia/Tokyo")).toBe("4 Mar");
    expect(zoneName("UTC")).toBe("UTC");
  });
  it("keeps a zone the runtime knows and falls back to UTC otherwise", () => {
    expect(validTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(validTimeZone("Mars/Olympus")).toBe("UTC");
    expect(validTimeZone("")).toBe("UTC");
    expect(validTimeZone(undefined)).toBe("UTC");
  });
  it("knows the zone's offset, summer time included", () => {
    expect(zoneOffsetMs(t, "UTC")).toBe(0);
    expect(zoneOffsetMs(t, "Europe/Berlin")).toBe(3_600_000);
    expect(zoneOffsetMs(Date.UTC(2026, 6, 1), "Europe/Berlin")).toBe(7_200_000);
    expect(zoneOffsetMs(t, "America/New_York")).toBe(-5 * 3_600_000);
  });
});

describe("a wall-clock time typed in the picked zone", () => {
  it("is the moment it names there, daylight saving included", () => {
    expect(zonedLocalToUtc("2026-11-29T14:00", "UTC")).toBe(Date.parse("2026-11-29T14:00:00Z"));
    expect(zonedLocalToUtc("2026-11-29T14:00", "Europe/Berlin")).toBe(Date.parse("2026-11-29T13:00:00Z"));
    expect(zonedLocalToUtc("2026-07-01T14:00", "Europe/Berlin")).toBe(Date.parse("2026-07-01T12:00:00Z"));
    expect(zonedLocalToUtc("2026-07-01T09:30", "America/New_York")).toBe(Date.parse("2026-07-01T13:30:00Z"));
    expect(zonedLocalToUtc("2026-03-29T03:30", "Europe/Berlin")).toBe(Date.parse("2026-03-29T01:30:00Z"));
    expect(zonedLocalToUtc("2026-11-29", "UTC")).toBeNull();
    expect(zonedLocalToUtc("tomorrow", "UTC")).toBeNull();
  });
});
