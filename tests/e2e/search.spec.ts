import { expect, test } from "@playwright/test";
import { contextAt, ownerCookie } from "./pages/all-pages";

// The search palette: Ctrl-K (or the header's box) opens it, typing finds things by name across the
// organization, arrow keys move, Enter opens; Escape closes. At 390 px it fits the phone.

const SHOTS = process.env.MOBILE_SHOTS;
let cookie = "";
test.beforeAll(async () => {
  cookie = await ownerCookie();
});

test("Ctrl-K opens the search, arrows and Enter open a workload's container page, Escape closes", async ({ browser, baseURL }) => {
  const ctx = await contextAt(browser, baseURL!, 1440, 900, cookie);
  const page = await ctx.newPage();
  await page.goto("/acme/incidents");
  await page.keyboard.press("Control+k");
  const dialog = page.getByRole("dialog");
  const input = dialog.getByRole("combobox");
  await expect(input).toBeFocused();
  await input.fill("keydb");
  const options = dialog.getByRole("option");
  // the container and its image (and its incident, if it has one open)
  await expect(dialog.getByRole("option", { name: /^session-store\/keydb/ }).first()).toBeVisible();
  await expect(dialog.getByRole("option", { name: /^eqalpha\/keydb:6\.3\.4/ })).toBeVisible();
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/search-1440.png` });
  // the first option is selected; ArrowDown moves the selection to the next
  await expect(options.first()).toHaveAttribute("aria-selected", "true");
  const second = await options.nth(1).innerText();
  await page.keyboard.press("ArrowDown");
  await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  if (second.includes("eqalpha/keydb")) await expect(page).toHaveURL(/\/acme\/clusters\/prod-us\/identity\/deployment\/session-store\/keydb/);
  else await expect(page).not.toHaveURL(/\/acme\/incidents$/);

  // the header's box opens it too; nothing found says so; Escape closes
  await page.getByRole("button", { name: /Search workloads, containers, incidents/ }).click();
  await dialog.getByRole("combobox").fill("no-such-thing-anywhere");
  await expect(dialog.getByText("Nothing named like “no-such-thing-anywhere”.")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await ctx.close();
});

test("another organization's names are never found, and the route checks its input", async ({ request }) => {
  const headers = { cookie };
  // Globex's cluster is never found from Acme; whatever Acme itself has named "globex…" (another spec
  // pushes a workload of that name into Acme's own cluster) stays Acme's
  expect((await (await request.get("/api/v1/orgs/acme/search?q=globex-prod", { headers })).json()).hits).toEqual([]);
  const globex = (await (await request.get("/api/v1/orgs/acme/search?q=globex", { headers })).json()) as { hits: { href: string; detail: string }[] };
  expect(globex.hits.filter((h) => !h.href.startsWith("/acme/") || h.detail.includes("globex-prod"))).toEqual([]);
  const bad = await request.get(`/api/v1/orgs/acme/search?q=${"x".repeat(101)}`, { headers });
  expect(bad.status()).toBe(400);
  expect(JSON.stringify(await bad.json())).toContain("q");
  expect((await request.get("/api/v1/orgs/acme/search?q=", { headers })).status()).toBe(400);
  expect((await request.get("/api/v1/orgs/acme/search?q=prod")).status()).toBe(401);
});

test("at 390 px the palette fits the phone and a result opens its page", async ({ browser, baseURL }) => {
  const ctx = await contextAt(browser, baseURL!, 390, 844, cookie);
  const page = await ctx.newPage();
  await page.goto("/acme");
  await page.getByRole("button", { name: /Search workloads, containers, incidents/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("combobox").fill("prod-eu");
  const cluster = dialog.getByRole("option", { name: /^prod-eu/ }).first();
  await expect(cluster).toBeVisible();
  const box = (await dialog.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/search-390.png` });
  await cluster.click();
  await expect(page).toHaveURL(/\/acme\/clusters\/prod-eu$/);
  await ctx.close();
});

test("the header's time zone: UTC by default, the browser's own zone on request, remembered across pages", async ({ browser, baseURL }) => {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: "Europe/Berlin" });
  const [name, value] = cookie.split(/=(.*)/s) as [string, string];
  await ctx.addCookies([{ name, value, url: baseURL! }]);
  const page = await ctx.newPage();
  const container = "/acme/clusters/prod-eu/payments/deployment/payments-api/api";
  await page.goto(container);
  const legend = page.getByRole("list", { name: "Legend" });
  await expect(legend).toContainText("times in UTC");
  const zone = page.getByRole("combobox", { name: "Times in" });
  await expect(zone).toHaveValue("UTC");
  await zone.selectOption("Europe/Berlin");
  await expect(legend).toContainText("times in Berlin");
  // another page, a fresh load: still Berlin, and the incident timeline says so
  await page.goto("/acme/incidents?status=active");
  await page.getByRole("table").locator("tbody tr a").first().click();
  await expect(page.getByRole("list", { name: "Timeline" }).locator("time").first()).toHaveText(/^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} Berlin$/);
  // the overview's "updated" line and the audit log follow the choice too
  await page.goto("/acme");
  await expect(page.getByText(/ · updated \d{2}:\d{2} Berlin$/)).toBeVisible();
  await page.goto("/acme/settings/audit");
  await expect(page.getByText(/^\d{1,2} \w{3} \d{4}, \d{2}:\d{2}:\d{2} Berlin$/).first()).toBeVisible();
  await page.goto(container);
  await expect(page.getByRole("combobox", { name: "Times in" })).toHaveValue("Europe/Berlin");
  await ctx.close();
});
