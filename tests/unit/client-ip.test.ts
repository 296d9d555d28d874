import { describe, expect, it } from "vitest";
import { clientIp } from "@/lib/http/client-ip";

const h = (xff?: string, real?: string) => new Headers({ ...(xff !== undefined ? { "x-forwarded-for": xff } : {}), ...(real ? { "x-real-ip": real } : {}) });

describe("clientIp", () => {
  it("takes the entry the trusted proxy appended, not what the client wrote before it", () => {
    expect(clientIp(h("6.6.6.6, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientIp(h("6.6.6.6, 203.0.113.7, 10.0.0.2"), 2)).toBe("203.0.113.7");
    expect(clientIp(h("203.0.113.7"), 3)).toBe("203.0.113.7");
  });
  it("falls back to X-Real-IP, and refuses what is not an address", () => {
    expect(clientIp(h(undefined, "2001:db8::1"), 1)).toBe("2001:db8::1");
    expect(clientIp(h("<script>"), 1)).toBeNull();
    expect(clientIp(h(), 1)).toBeNull();
  });
});
