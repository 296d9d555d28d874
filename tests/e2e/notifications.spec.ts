import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { memberCookie } from "../support/sessions";

// Warnings before the kill, as an on-call admin meets them: a signed webhook configured in the
// settings receives "Send test"; the at-risk page lists and filters; Alertmanager's webhooks are
// accepted with a receiver token (a malformed one refused with its path, an unknown container listed
// as unmatched). NOTIFY_SHOTS=dir also saves screenshots (1440 and 390 px).

const SHOTS = process.env.NOTIFY_SHOTS;
let admin = "";
const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let server: http.Server;
let hookUrl = "";

test.beforeAll(async () => {
  admin = await memberCookie(process.env.E2E_DATABASE_URL!, { slug: "acme", email: "admin@notify.acme.example", name: "Notify Admin", role: "admin" });
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/headroom`;
});
test.afterAll(async () => {
  await new Promise((r) => server.close(r));
});

async function signedIn(page: Page, baseURL: string) {
  const [name, value] = admin.split(/=(.*)/s) as [string, string];
  await page.context().addCookies([{ name, value, url: baseURL }]);
}

async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
}

test("a signed webhook configured in the settings receives Send test, and the signature verifies", async ({ page, baseURL }) => {
  await signedIn(page, baseURL!);
  await page.goto("/acme/settings/notifications");
  await expect(page.getByRole("heading", { name: "Notifications" })).toBeVisible();
  await page.getByLabel("Channel name").fill("on-call webhook");
  await page.getByLabel("Kind").selectOption("webhook");
  await page.getByLabel("Webhook URL").fill(hookUrl);
  await page.getByRole("button", { name: "Add channel" }).click();
  const secret = (await page.getByTestId("signing-secret").innerText()).trim();
  expect(secret).toMatch(/^whsec_/);
  const channel = page.getByTestId("channel").filter({ hasText: "on-call webhook" });
  await expect(channel).toContainText("127.0.0.1");
  await expect(channel).not.toContainText("/headroom");
  await channel.getByRole("button", { name: "Send test" }).click();
  await expect(channel.getByRole("status")).toContainText("Test delivered (HTTP 200)");
  expect(got).toHaveLength(1);
  const { headers, body } = got[0]!;
  const expected = "v1=" + crypto.createHmac("sha256", secret).update(`${headers["x-headroom-timestamp"]}.${body}`).digest("hex");
  expect(headers["x-headroom-signature"]).toBe(expected);
  expect(JSON.parse(body).events[0].kind).toBe("test");
  await page.reload();
  await expect(page.getByTestId("channel").filter({ hasText: "on-call webhook" }).getByTestId("last-delivery")).toContainText("delivered");
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/notifications-1440.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await noSidewaysScroll(page);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/notifications-390.png`, fullPage: true });
});

test("a URL the outbound guard refuses is refused when saved, next to the field", async ({ page, baseURL }) => {
  await signedIn(page, baseURL!);
  await page.goto("/acme/settings/notifications");
  await page.getByLabel("Channel name").fill("metadata");
  await page.getByLabel("Webhook URL").fill("http://169.254.169.254/latest/meta-data");
  await page.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "link-local" })).toBeVisible();
});

test("the at-risk page lists containers soonest OOMKill first and filters by cluster and severity", async ({ page, baseURL }) => {
  await signedIn(page, baseURL!);
  await page.goto("/acme");
  await page.getByRole("link", { name: /at risk, with filters/ }).click();
  await expect(page.getByRole("heading", { name: "At risk of an OOMKill" })).toBeVisible();
  const rows = page.getByTestId("at-risk-row");
  await expect(rows.first()).toBeVisible();
  await expect(page.getByTestId("psi-note")).toContainText("Not exported by staging");
  await page.getByLabel("Cluster").selectOption("prod-eu");
  await expect(page).toHaveURL(/cluster=prod-eu/);
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allInnerTexts()) expect(text).toContain("prod-eu");
  await page.getByLabel("Severity").selectOption("leak");
  await expect(page).toHaveURL(/severity=leak/);
  await expect(rows.first()).toBeVisible();
  const projections = page.getByTestId("at-risk-projection");
  expect(await projections.count()).toBe(await rows.count());
  await expect(projections.first()).toContainText(/growing \+[\d.]+Mi\/h, OOMKill in ~/);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/at-risk-1440.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/acme/at-risk");
  await expect(rows.first()).toBeVisible();
  await noSidewaysScroll(page);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/at-risk-390.png`, fullPage: true });
});

test("Alertmanager: a receiver token from the settings; malformed → 400 with the path, unknown container → accepted and listed", async ({ page, request, baseURL }) => {
  await signedIn(page, baseURL!);
  await page.goto("/acme/settings/alerts");
  await page.getByRole("button", { name: "Create receiver token" }).click();
  const token = (await page.getByTestId("receiver-token").innerText()).trim();
  expect(token).toMatch(/^hram_/);
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const noToken = await request.post("/api/v1/alertmanager", { headers: { "content-type": "application/json" }, data: { version: "4" } });
  expect(noToken.status()).toBe(401);
  const bad = await request.post("/api/v1/alertmanager", { headers: auth, data: { version: "4", status: "firing", alerts: [{ status: "firing", labels: {}, startsAt: "soon" }] } });
  expect(bad.status()).toBe(400);
  const paths = ((await bad.json()) as { issues: { path: string }[] }).issues.map((i) => i.path);
  expect(paths).toEqual(expect.arrayContaining(["alerts.0.labels.alertname", "alerts.0.startsAt"]));
  const unknown = await request.post(`/api/v1/alertmanager/${token}`, {
    headers: { "content-type": "application/json" },
    data: { version: "4", status: "firing", receiver: "headroom", alerts: [{ status: "firing", labels: { alertname: "KubeContainerOOMKilled", namespace: "nowhere", pod: "ghost-7f9c-x1y2z", container: "ghost" }, annotations: {}, startsAt: new Date().toISOString() }] },
  });
  expect(unknown.status()).toBe(200);
  expect(await unknown.json()).toEqual({ received: 1, matched: 0, unmatched: 1 });
  await page.reload();
  await expect(page.getByTestId("unmatched-alert").filter({ hasText: "KubeContainerOOMKilled" })).toContainText("pod nowhere/ghost-7f9c-x1y2z is not known");
});
