import { describe, expect, it } from "vitest";
import { groupIntoIncidents, INCIDENT_QUIET_SECONDS } from "@/lib/inventory/incident-grouping";

const NOW = 1_764_900_000;
const H = 3600;

describe("grouping OOMKills into incidents", () => {
  it("keeps kills less than a quiet week apart in one open incident", () => {
    const spans = groupIntoIncidents([NOW - 50 * H, NOW - 10 * H, NOW - 30 * H], NOW);
    expect(spans).toEqual([{ firstSeenAt: NOW - 50 * H, lastSeenAt: NOW - 10 * H, oomCount: 3, status: "open", resolvedAt: null }]);
  });

  it("starts a new incident after a quiet week and resolves the old one a week after its last kill", () => {
    const old = NOW - 20 * 24 * H;
    const spans = groupIntoIncidents([old, old + H, NOW - H], NOW);
    expect(spans).toHaveLength(2);
    expect(spans[0]).toMatchObject({ status: "resolved", oomCount: 2, resolvedAt: old + H + INCIDENT_QUIET_SECONDS });
    expect(spans[1]).toMatchObject({ status: "open", oomCount: 1 });
  });

  it("has no incident without kills", () => {
    expect(groupIntoIncidents([], NOW)).toEqual([]);
  });
});
