import { describe, expect, it } from "vitest";
import { formatGrowth, formatStoredAt, formatTimeToOom, rowVerdict } from "@/lib/incidents/verdict-line";

const Mi = 1024 * 1024;
const leak = { pattern: "leak", growthBytesPerHour: 18 * Mi, timeToOomHours: 0.5, stats: { p50: 200 * Mi, p95: 300 * Mi, p99: 320 * Mi, max: 500 * Mi } };

describe("a verdict in a list row", () => {
  it("of an active incident predicts the next OOMKill as the container page writes it", () => {
    expect(rowVerdict(leak, { limitBytes: 512 * Mi, active: true, storedAt: null })).toEqual({
      pattern: "leak", text: "grows +18Mi/h, never plateaus", prediction: "next OOMKill in ~30 min", timeToOomHours: 0.5, storedAt: null,
    });
  });

  it("of a resolved incident predicts nothing, and keeps the time a stored verdict was computed", () => {
    expect(rowVerdict(leak, { limitBytes: 512 * Mi, active: false, storedAt: "2025-12-05T08:12:00Z" })).toEqual({
      pattern: "leak", text: "grows +18Mi/h, never plateaus", prediction: null, timeToOomHours: null, storedAt: "2025-12-05T08:12:00Z",
    });
  });

  it("says what each pattern means against the limit", () => {
    const at = (pattern: string, limitBytes: number | null = 512 * Mi) => rowVerdict({ ...leak, pattern, timeToOomHours: null }, { limitBytes, active: true, storedAt: null })!.text;
    expect(at("limit_too_low")).toBe("plateaus at 59% of the 512Mi limit (p95)");
    expect(at("spike")).toBe("bursts to 98% of the 512Mi limit from p50 200Mi");
    expect(at("healthy")).toBe("p99 at 63% of the 512Mi limit");
    expect(at("healthy", null)).toBe("p99 at 320Mi");
    expect(at("insufficient_data")).toBe("not enough data yet");
    expect(rowVerdict({ ...leak, growthBytesPerHour: null }, { limitBytes: null, active: true, storedAt: null })!.text).toBe("grows in every restart cycle");
  });

  it("names the heap, as the page's verdict does, when a heap setting at or above the limit is what kills", () => {
    const jvm = { ...leak, pattern: "limit_too_low", findings: [{ code: "jvm_heap_exceeds_limit" }], heapCeilings: [{ runtime: "jvm", setting: "-Xmx1g" }] };
    expect(rowVerdict(jvm, { limitBytes: 768 * Mi, active: true, storedAt: null })!.text).toBe("JVM heap may grow past the limit: -Xmx1g ≥ the 768Mi limit");
    // a ceiling that is only near the limit does not change the verdict
    expect(rowVerdict({ ...jvm, findings: [{ code: "jvm_heap_near_limit" }] }, { limitBytes: 768 * Mi, active: true, storedAt: null })!.text).toMatch(/^plateaus at/);
  });

  it("is none without a stored analysis, and tolerates one from an older engine", () => {
    expect(rowVerdict(null, { limitBytes: null, active: true, storedAt: null })).toBeNull();
    expect(rowVerdict({ pattern: "spike", summary: "old" }, { limitBytes: 512 * Mi, active: true, storedAt: "2025-12-05T08:12:00Z" })).toEqual({
      pattern: "spike", text: "bursts towards the limit", prediction: null, timeToOomHours: null, storedAt: "2025-12-05T08:12:00Z",
    });
  });
});

describe("the numbers of a verdict", () => {
  it("write hours to the next OOMKill in minutes under an hour, hours under two days, days beyond", () => {
    expect(formatTimeToOom(0)).toBe("~1 min");
    expect(formatTimeToOom(0.999)).toBe("~60 min");
    expect(formatTimeToOom(1)).toBe("~1.0 h");
    expect(formatTimeToOom(9.94)).toBe("~9.9 h");
    expect(formatTimeToOom(10)).toBe("~10 h");
    expect(formatTimeToOom(47.9)).toBe("~48 h");
    expect(formatTimeToOom(48)).toBe("~2 d");
  });

  it("write growth with its sign, one decimal under 10Mi/h", () => {
    expect(formatGrowth(2.46 * Mi)).toBe("+2.5Mi/h");
    expect(formatGrowth(10 * Mi)).toBe("+10Mi/h");
    expect(formatGrowth(-3 * Mi)).toBe("−3Mi/h");
  });

  it("date a stored verdict in UTC, with the day when it is not today's", () => {
    const now = Date.parse("2025-12-05T10:30:00Z");
    expect(formatStoredAt("2025-12-05T08:12:00Z", now)).toBe("08:12 UTC");
    expect(formatStoredAt("2025-12-04T23:59:00Z", now)).toBe("4 Dec 23:59 UTC");
  });

  it("date it in the zone the user picked, where the day turns at that zone's midnight", () => {
    const now = Date.parse("2025-12-05T10:30:00Z");
    // 23:59 UTC on the 4th is 00:59 on the 5th in Berlin: today there, so no day
    expect(formatStoredAt("2025-12-04T23:59:00Z", now, "Europe/Berlin")).toBe("00:59 Berlin");
    expect(formatStoredAt("2025-12-04T22:59:00Z", now, "Europe/Berlin")).toBe("4 Dec 23:59 Berlin");
    expect(formatStoredAt("2025-12-05T08:12:00Z", now, "America/New_York")).toBe("03:12 New York");
  });
});
