import { describe, expect, it } from "vitest";
import { formatAgo, formatBytes, formatMoney, formatPercent } from "@/lib/format";

const Mi = 1024 * 1024;

describe("formatting for people", () => {
  it("writes memory as Kubernetes quantities", () => {
    expect(formatBytes(768 * Mi)).toBe("768Mi");
    expect(formatBytes(1024 * Mi)).toBe("1Gi");
    // one way for a quantity, as kubectl writes it: never 1.25Gi beside 1280Mi
    expect(formatBytes(1536 * Mi)).toBe("1536Mi");
    expect(formatBytes(1280 * Mi)).toBe("1280Mi");
    expect(formatBytes(2048 * Mi)).toBe("2Gi");
    expect(formatBytes(1331.4 * Mi)).toBe("1331Mi");
    expect(formatBytes(1023.6 * Mi)).toBe("1Gi");
    expect(formatBytes(12.5 * 1024 * Mi)).toBe("12.5Gi");
    expect(formatBytes(10 * 1024 * Mi)).toBe("10Gi");
    expect(formatBytes(-256 * Mi)).toBe("-256Mi");
    expect(formatBytes(null)).toBe("—");
  });

  it("writes money with currency and sign, percentages, and ages", () => {
    expect(formatMoney(12.4, "USD", true)).toBe("+$12.40");
    expect(formatMoney(-3.2, "EUR", true)).toBe("−€3.20");
    expect(formatPercent(0.874)).toBe("87%");
    const now = Date.parse("2026-11-28T12:00:00Z");
    expect(formatAgo("2026-11-28T09:00:00Z", now)).toBe("3 h ago");
    expect(formatAgo("2026-11-25T12:00:00Z", now)).toBe("3 d ago");
  });
});
