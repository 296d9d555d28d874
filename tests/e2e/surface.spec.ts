import { expect, test } from "@playwright/test";
import { RATE_LIMITS } from "@/lib/security/rate-limit";
import { LoginPage } from "./pages/dashboard";

// The hardened surface: security headers, body caps, malformed input, rate limits in Postgres.

test("pages carry a nonce CSP that forbids framing, and the other security headers; API answers are never cached", async ({ page, request }) => {
  const res = await page.goto("/login");
  const h = res!.headers();
  const csp = h["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // every script the page runs carries this request's nonce, so the app works under the policy
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  for (const n of scripts) expect(n).toBe(nonce);
  await new LoginPage(page).signInWithDemo();
  await expect(page.getByRole("heading", { name: "What is dying, and why" })).toBeVisible();
  const api = await page.request.get("/api/v1/orgs/acme/overview");
  expect(api.headers()["cache-control"]).toContain("no-store");
  // HSTS only where the app is reached over https (behind a TLS proxy)
  expect(res!.headers()["strict-transport-security"]).toBeUndefined();
  const behindTls = await request.get("/login", { headers: { "x-forwarded-proto": "https" } });
  expect(behindTls.headers()["strict-transport-security"]).toContain("max-age=");
});

test("bad input gets a 400 or 413 with what is wrong, never a 500", async ({ page }) => {
  await new LoginPage(page).signInWithDemo();
  const r = page.request;
  const big = await r.post("/api/v1/orgs/acme/clusters", { data: { name: "x".repeat(1_100_000) } });
  expect(big.status()).toBe(413);
  expect((await big.json()).error).toMatch(/too large/);
  const nul = await r.post("/api/v1/orgs/acme/clusters", { headers: { "content-type": "application/json" }, data: '{"name":"a\\u0000b"}' });
  expect(nul.status()).toBe(400);
  expect((await nul.json()).error).toMatch(/NUL/);
  const notJson = await r.post("/api/v1/orgs/acme/clusters", { headers: { "content-type": "application/json" }, data: "{name:" });
  expect(notJson.status()).toBe(400);
  for (const path of ["/acme/%00", "/api/v1/orgs/acme/incidents?status=%00", "/acme/%E0%A4%A", "/api/v1/orgs/acme%ZZ/overview"]) {
    const res = await r.get(path);
    expect(res.status(), path).toBe(400);
  }
});

test("sign-in lookups are rate-limited per client address with 429 and Retry-After, counted in Postgres", async ({ request }) => {
  // a documentation address of our own, so the other tests' sign-ins keep their budget
  const headers = { "x-forwarded-for": "198.51.100.77" };
  const statuses: number[] = [];
  let retryAfter: string | undefined;
  const budget = RATE_LIMITS.signin.points;
  for (let i = 0; i < budget + 2; i++) {
    const res = await request.post("/api/v1/sso/lookup", { headers, data: { login: "nobody@nowhere.example" } });
    statuses.push(res.status());
    if (res.status() === 429) retryAfter = res.headers()["retry-after"];
  }
  expect(statuses.slice(0, budget)).toEqual(Array(budget).fill(404));
  expect(statuses.slice(budget)).toEqual([429, 429]);
  expect(Number(retryAfter)).toBeGreaterThan(0);
  expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  // another address is not affected
  expect((await request.post("/api/v1/sso/lookup", { headers: { "x-forwarded-for": "198.51.100.78" }, data: { login: "nobody@nowhere.example" } })).status()).toBe(404);
});
