import { describe, expect, it } from "vitest";
import { crossSiteRefusal } from "@/lib/http/csrf";

const req = (method: string, headers: Record<string, string>) => ({ method, headers: new Headers({ host: "headroom.example", ...headers }), url: "http://headroom.example/api/v1/orgs/acme/clusters" });

describe("CSRF: state-changing requests from another site are refused", () => {
  it.each(["POST", "PUT", "DELETE", "PATCH"])("%s with a foreign Origin", (method) => {
    expect(crossSiteRefusal(req(method, { origin: "https://evil.example" }))).toMatch(/cross-site request refused/);
  });
  it("a foreign Origin on another port of the same host, or an unparsable one", () => {
    expect(crossSiteRefusal(req("POST", { origin: "http://headroom.example:8080" }))).not.toBeNull();
    expect(crossSiteRefusal(req("POST", { origin: "null" }))).not.toBeNull();
  });
  it("Sec-Fetch-Site cross-site or same-site (a sibling subdomain), whatever the Origin", () => {
    expect(crossSiteRefusal(req("POST", { "sec-fetch-site": "cross-site", origin: "http://headroom.example" }))).toMatch(/Sec-Fetch-Site: cross-site/);
    expect(crossSiteRefusal(req("PUT", { "sec-fetch-site": "same-site" }))).not.toBeNull();
  });
  it("allows the app's own pages, non-browser clients and every read", () => {
    expect(crossSiteRefusal(req("POST", { origin: "http://headroom.example", "sec-fetch-site": "same-origin" }))).toBeNull();
    expect(crossSiteRefusal(req("POST", {}))).toBeNull();
    expect(crossSiteRefusal(req("GET", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }))).toBeNull();
    expect(crossSiteRefusal(req("POST", { origin: "https://headroom.example", "x-forwarded-host": "headroom.example" }))).toBeNull();
  });
});
