import { expect, test } from "@playwright/test";
import { ClusterPage, LoginPage, OverviewPage } from "./pages/dashboard";

test("without a session a deep link sends you to sign in, and back to that page afterwards", async ({ page }) => {
  await page.goto("/acme/incidents?status=resolved");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Facme%2Fincidents%3Fstatus%3Dresolved$/);
  await page.getByRole("button", { name: "Continue with the demo account" }).click();
  await page.waitForURL(/\/acme\/incidents\?status=resolved$/);
  await expect(page.getByRole("heading", { name: "Incidents" })).toBeVisible();
});

test("a return address on another site is never followed after sign-in", async ({ page }) => {
  for (const evil of ["https://evil.example/", "//evil.example/x", "/\\evil.example"]) {
    await page.context().clearCookies();
    await page.goto(`/login?callbackUrl=${encodeURIComponent(evil)}`);
    await page.getByRole("button", { name: "Continue with the demo account" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    expect(new URL(page.url()).host, evil).toBe(new URL(page.url()).host);
    expect(page.url(), evil).not.toContain("evil.example");
  }
});

test("the demo sign-in leads to an overview of OOMKilled containers with real numbers", async ({ page }) => {
  await new LoginPage(page).signInWithDemo();
  await expect(page.getByRole("heading", { name: "What is dying, and why" })).toBeVisible();
  const overview = new OverviewPage(page);
  const day = Number(await overview.stat("OOMKills · 24 h").locator("div").nth(1).innerText());
  const month = Number(await overview.stat("OOMKills · 30 d").locator("div").nth(1).innerText());
  expect(day).toBeGreaterThan(0);
  expect(month).toBeGreaterThan(day);
  const offenders = overview.offenders();
  await expect(offenders.first()).toBeVisible();
  expect(await offenders.count()).toBeGreaterThanOrEqual(5);
  // the worst offender of the demo is the leaking payments API on prod-eu
  await expect(offenders.first()).toContainText("payments-api/api");
  await expect(offenders.first()).toContainText(/open|acknowledged/);
  await expect(page.getByRole("region", { name: /Most at risk/ }).getByRole("link").first()).toContainText("%");
});

test("open a cluster and sort its workloads table", async ({ page }) => {
  await new LoginPage(page).signInWithDemo();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Clusters" }).click();
  await expect(page.getByRole("heading", { name: "Clusters" })).toBeVisible();
  await page.getByRole("link", { name: "prod-eu", exact: true }).click();
  await expect(page.getByRole("heading", { name: "prod-eu" })).toBeVisible();
  const cluster = new ClusterPage(page);
  await cluster.expectSorted("OOMKills · 30 d", "descending");
  const ooms = (await cluster.columnValues(7)).map(Number);
  expect(ooms).toEqual([...ooms].sort((a, b) => b - a));
  expect(ooms[0]).toBeGreaterThan(0);

  await cluster.sortBy("Name");
  await cluster.expectSorted("Name", "ascending");
  await expect(page).toHaveURL(/sort=name/);
  await expect(async () => {
    const names = (await cluster.columnValues(3)).map((n) => n.split(/\s|×/)[0]!);
    expect(names).toEqual([...names].sort());
  }).toPass();
  await cluster.sortBy("Name");
  await cluster.expectSorted("Name", "descending");
  await expect(async () => {
    const names = (await cluster.columnValues(3)).map((n) => n.split(/\s|×/)[0]!);
    expect(names).toEqual([...names].sort().reverse());
  }).toPass();

  // the sort survives a reload: it lives in the URL
  await page.reload();
  await cluster.expectSorted("Name", "descending");

  await page.getByLabel("Namespace").selectOption("payments");
  await expect(async () => {
    const namespaces = await cluster.columnValues(1);
    expect(new Set(namespaces)).toEqual(new Set(["payments"]));
  }).toPass();
});

test("the clusters list sorts by a count and filters as you type, its view kept in the URL", async ({ page }) => {
  await new LoginPage(page).signInWithDemo();
  await page.goto("/acme/clusters");
  const list = new ClusterPage(page);
  await list.expectSorted("Cluster", "ascending");
  await list.sortBy("OOMKills · 30 d");
  await list.expectSorted("OOMKills · 30 d", "descending");
  await expect(page).toHaveURL(/sort=ooms&dir=desc/);
  await expect(async () => {
    const ooms = (await list.columnValues(5)).map(Number);
    expect(ooms.length).toBeGreaterThanOrEqual(3);
    expect(ooms).toEqual([...ooms].sort((a, b) => b - a));
  }).toPass();

  // a filtered link (from a chat message, say) opens filtered, with the filter named
  await page.goto("/acme/clusters?q=prod");
  await expect(page.getByRole("group", { name: "Active filters" })).toContainText("Cluster: prod");
  await expect(async () => {
    const names = await list.columnValues(1);
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const n of names) expect(n).toContain("prod");
  }).toPass();
  await page.getByRole("searchbox").fill("staging");
  await expect(page).toHaveURL(/q=staging/);
  await expect(async () => expect(await list.columnValues(1)).toEqual(["staging"])).toPass();
  await page.getByRole("searchbox").fill("no-such-cluster");
  await expect(page.getByText("No cluster matches")).toBeVisible();
  await page.getByRole("button", { name: "Clear all" }).click();
  await expect(page).toHaveURL(/\/acme\/clusters$/);
  await expect(async () => expect((await list.columnValues(1)).length).toBeGreaterThanOrEqual(3)).toPass();

  // a query the page cannot honour falls back to the default view rather than an error
  await page.goto("/acme/clusters?sort=password&pageSize=9999");
  await list.expectSorted("Cluster", "ascending");
});

test("the incidents list filters by status", async ({ page }) => {
  await new LoginPage(page).signInWithDemo();
  await page.goto("/acme/incidents");
  const rows = page.getByRole("table").locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  await page.getByRole("group", { name: "Status" }).getByRole("button", { name: /^Resolved \d+$/ }).click();
  await expect(page).toHaveURL(/status=resolved/);
  await expect(async () => {
    const statuses = await rows.locator("td:nth-child(3)").allInnerTexts();
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(["resolved"]));
  }).toPass();
});

test("another organization's pages answer 404", async ({ page }) => {
  await new LoginPage(page).signInWithDemo();
  const res = await page.goto("/globex");
  expect(res?.status()).toBe(404);
  const cluster = await page.goto("/acme/clusters/globex-prod");
  expect(cluster?.status()).toBe(404);
});
