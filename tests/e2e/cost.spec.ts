import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { memberCookie } from "../support/sessions";

// The cost page as a manager uses it: totals, sort and filter, the CSV equal to the screen, and a
// price edited on a simulated cluster moving the page. COST_SHOTS=dir also saves screenshots.

const SHOTS = process.env.COST_SHOTS;
let admin = "";

test.beforeAll(async () => {
  admin = await memberCookie(process.env.E2E_DATABASE_URL!, { slug: "acme", email: "admin@cost.acme.example", name: "Cost Admin", role: "admin" });
});

async function signedIn(page: Page, baseURL: string) {
  const [name, value] = admin.split(/=(.*)/s) as [string, string];
  await page.context().addCookies([{ name, value, url: baseURL }]);
}

/** "+$1,234.50" / "−$3.20" as a number. */
const amount = (s: string) => {
  const n = Number(s.replace(/[^0-9.]/g, ""));
  return s.trim().startsWith("−") || s.trim().startsWith("-") ? -n : n;
};

/** A total's amount, once the page shows it exactly once (a streamed page may briefly hold its hidden copy too). */
async function total(page: Page, id: string) {
  let value = Number.NaN;
  // count and read in one retried step: the hidden copy can appear between a count and a read
  await expect(async () => {
    const el = page.getByTestId(id);
    expect(await el.count()).toBe(1);
    value = amount((await el.textContent({ timeout: 1_000 }))!);
  }).toPass();
  return value;
}

async function screenRows(page: Page) {
  const rows = page.getByTestId("cost-row");
  await expect(rows.first()).toBeVisible();
  return rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      name: tr.querySelector("a")!.textContent!.trim(),
      where: tr.querySelector("td div")!.textContent!.trim(),
      total: tr.querySelector('[data-col="total"]')!.textContent!.trim(),
      perReplica: tr.querySelector('[data-col="perReplica"]')!.textContent!.trim(),
      ooms: tr.querySelector('[data-col="ooms"]')!.textContent!.trim(),
      risk: tr.querySelector('[data-col="risk"]')!.textContent!.trim(),
    })),
  );
}

test("the cost page: totals, sort, filter, and a CSV equal to the screen", async ({ page, baseURL }) => {
  await signedIn(page, baseURL!);
  await page.goto("/acme/cost");
  await expect(page.getByRole("heading", { name: "Cost of memory" })).toBeVisible();
  const today = await total(page, "total-today-USD");
  const add = await total(page, "total-add-USD");
  const save = await total(page, "total-save-USD");
  const change = await total(page, "total-change-USD");
  expect(today).toBeGreaterThan(0);
  expect(add).toBeGreaterThan(0);
  expect(save).toBeLessThan(0);
  expect(change).toBeCloseTo(add + save, 2);
  await expect(page.getByRole("img", { name: /Monthly memory request cost/ })).toBeVisible();
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/cost-1440.png`, fullPage: true });

  // sorted by the monthly change, largest first; a click turns it round
  let rows = await screenRows(page);
  const totals = rows.map((r) => amount(r.total));
  expect(totals).toEqual([...totals].sort((a, b) => b - a));
  await page.getByRole("button", { name: /^Total \/mo/ }).click();
  await expect(page).toHaveURL(/dir=asc/);
  // the other end of the same list: smallest first, starting at or below the first page's last
  await expect.poll(async () => {
    const asc = (await screenRows(page)).map((r) => amount(r.total));
    return asc.every((v, i) => i === 0 || asc[i - 1]! <= v) && asc[0]! <= totals.at(-1)!;
  }).toBe(true);

  // only the savings
  await page.getByLabel("Direction").selectOption("save");
  await expect(page).toHaveURL(/direction=save/);
  await expect.poll(async () => (await screenRows(page)).every((r) => amount(r.total) < 0)).toBe(true);
  await page.getByLabel("Direction").selectOption("all");

  // one cluster; the CSV of that view holds the same rows, in the same order, and the same totals
  await page.getByLabel("Cluster").selectOption("prod-eu");
  await expect(page).toHaveURL(/cluster=prod-eu/);
  await expect.poll(async () => (await screenRows(page)).every((r) => r.where.startsWith("prod-eu"))).toBe(true);
  rows = await screenRows(page);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^acme-memory-cost-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = fs.readFileSync((await download.path())!, "utf8");
  const [rowsText, totalsText] = text.split("\n\n");
  const csv = parse(rowsText!, { columns: true }) as Record<string, string>[];
  expect(csv.length).toBe(rows.length);
  expect(csv.map((r) => `${r.workload}/${r.container}`)).toEqual(rows.map((r) => r.name));
  expect(csv.map((r) => Number(r["monthly change total"]))).toEqual(rows.map((r) => amount(r.total)));
  expect(csv.map((r) => Number(r["monthly change per replica"]))).toEqual(rows.map((r) => amount(r.perReplica)));
  expect(csv.map((r) => r["OOMKills 30d"] || "—")).toEqual(rows.map((r) => r.ooms));
  expect(csv.map((r) => r.risk || "—")).toEqual(rows.map((r) => r.risk));
  const csvTotals = parse(totalsText!.split("\n").slice(1).join("\n"), { columns: true }) as Record<string, string>[];
  expect(csvTotals.map((t) => t.currency)).toEqual(["USD"]);
  expect(Number(csvTotals[0]!["monthly cost today"])).toBe(await total(page, "total-today-USD"));
  expect(Number(csvTotals[0]!["monthly change"])).toBe(await total(page, "total-change-USD"));
  expect(Number(csvTotals[0]!["to add"])).toBe(await total(page, "total-add-USD"));
  expect(Number(csvTotals[0]!.saved)).toBe(await total(page, "total-save-USD"));

  // a reload keeps the view (the URL holds it)
  await page.reload();
  await expect(page.getByLabel("Cluster")).toHaveValue("prod-eu");
});

test("grouping by a team label: each team's cost from the workloads' labels, (no team) for the rest, any label key typed", async ({ page, baseURL, request }) => {
  await signedIn(page, baseURL!);
  await page.goto("/acme/cost?group=label");
  await expect(page.getByLabel("Label key")).toHaveValue("team");
  await expect(page.getByRole("columnheader", { name: "team" })).toBeVisible();
  for (const team of ["payments", "checkout", "platform", "search", "(no team)"]) {
    await expect(page.getByRole("cell", { name: new RegExp(`^${team.replace(/[()]/g, "\\$&")} · \\d+$`) })).toBeVisible();
  }
  // another key, typed: the breakdown follows it and the URL keeps it
  await page.getByLabel("Label key").fill("app.kubernetes.io/part-of");
  await page.getByLabel("Label key").press("Enter");
  await expect(page.getByRole("columnheader", { name: "app.kubernetes.io/part-of" })).toBeVisible();
  await expect(page.getByRole("cell", { name: /^storefront · \d+$/ })).toBeVisible();
  await expect(page).toHaveURL(/label=app\.kubernetes\.io%2Fpart-of/);
  // a key Kubernetes would refuse is said, and not sent
  await page.getByLabel("Label key").fill("not a key!");
  await page.getByLabel("Label key").press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: "Not a Kubernetes label key" })).toBeVisible();
  await expect(page.getByRole("cell", { name: /^storefront · \d+$/ })).toBeVisible();
  const headers = { cookie: admin };
  const bad = await request.get("/api/v1/orgs/acme/cost?group=label&label=not%20a%20key", { headers });
  expect(bad.status()).toBe(400);
  expect(((await bad.json()).issues as { path: string }[]).map((i) => i.path)).toEqual(["label"]);
  // the CSV carries each row's team
  const csv = await request.get("/api/v1/orgs/acme/cost?group=label&format=csv", { headers });
  const rows = parse((await csv.text()).split("\n\n")[0]!, { columns: true }) as Record<string, string>[];
  expect(rows.filter((r) => r.namespace === "payments").map((r) => r["label team"])).toEqual(rows.filter((r) => r.namespace === "payments").map(() => "payments"));
  expect(rows.some((r) => r.namespace === "payments")).toBe(true);
});

test("a price edited on a simulated cluster moves the cost page; bad prices are 400s naming the field", async ({ page, baseURL, request }) => {
  await signedIn(page, baseURL!);
  const headers = { cookie: admin };
  const bad = await request.put("/api/v1/orgs/acme/clusters/staging/pricing", { headers, data: { perGiBMonth: -1, currency: "usd" } });
  expect(bad.status()).toBe(400);
  expect(((await bad.json()).issues as { path: string }[]).map((i) => i.path).sort()).toEqual(["currency", "perGiBMonth"]);
  const badQuery = await request.get("/api/v1/orgs/acme/cost?sort=bogus&pageSize=0", { headers });
  expect(badQuery.status()).toBe(400);
  expect(((await badQuery.json()).issues as { path: string }[]).map((i) => i.path).sort()).toEqual(["pageSize", "sort"]);

  await page.goto("/acme/cost?cluster=staging");
  const before = await total(page, "total-today-USD");
  await page.goto("/acme/clusters/staging/settings");
  const card = page.getByRole("region", { name: "Pricing" });
  await expect(card.getByText("AWS Fargate, Linux/x86, us-east-1")).toBeVisible();
  await expect(card.getByText(/aws\.amazon\.com\/fargate\/pricing/).first()).toBeVisible();
  if (SHOTS) await card.screenshot({ path: `${SHOTS}/pricing-1440.png` });
  await card.getByLabel(/Custom price/).check();
  await card.getByLabel("Price per GiB-month").fill("6.4");
  await card.getByLabel("Currency").fill("EUR");
  await card.getByRole("button", { name: "Save price" }).click();
  await expect(card.getByText("Saved: €6.40 / GiB-month")).toBeVisible();
  try {
    await page.goto("/acme/cost?cluster=staging");
    expect(await total(page, "total-today-EUR")).toBeCloseTo(before * 2, 1);
    await expect(page.getByTestId("total-today-USD")).toHaveCount(0);
    await page.goto("/acme/cost");
    // two currencies: two sets of totals, never one sum
    await expect(page.getByRole("heading", { name: "Clusters priced in EUR" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Clusters priced in USD" })).toBeVisible();
  } finally {
    const back = await request.put("/api/v1/orgs/acme/clusters/staging/pricing", { headers, data: { perGiBMonth: 3.2, currency: "USD" } });
    expect(back.status()).toBe(200);
  }
});

test("at 390 px the cost page and the pricing card do not scroll sideways", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signedIn(page, baseURL!);
  await page.goto("/acme/cost");
  await total(page, "total-today-USD");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/cost-390.png`, fullPage: true });
  await page.goto("/acme/clusters/staging/settings");
  await expect(page.getByRole("region", { name: "Pricing" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  if (SHOTS) await page.getByRole("region", { name: "Pricing" }).screenshot({ path: `${SHOTS}/pricing-390.png` });
  await context.close();
});
