import { expect, test } from "@playwright/test";
import { LoginPage } from "./pages/dashboard";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

test("from an incident, the container page shows the chart, the verdict, and a fix that copies", async ({ page }) => {
  await new LoginPage(page).signInWithDemo();
  await page.goto("/acme/incidents?cluster=prod-eu&namespace=payments&status=open");
  const incident = page.getByRole("table").getByRole("link", { name: "payments-api/api" });
  await expect(incident).toBeVisible();
  await incident.click();
  // the row opens the incident, which links its container
  await expect(page).toHaveURL(/\/acme\/incidents\/[0-9a-f-]{36}$/);
  await page.getByRole("link", { name: "Container page →" }).click();
  await expect(page).toHaveURL(/\/acme\/clusters\/prod-eu\/payments\/deployment\/payments-api\/api/);

  // the chart: an SVG with lines, OOMKill markers and the limit line
  const chart = page.getByRole("img", { name: /Memory chart: working set against the 512Mi limit, \d+ OOMKills in view/ });
  await expect(chart.locator("svg.recharts-surface")).toBeVisible();
  await expect(chart.locator(".recharts-line path").first()).toBeVisible();
  await expect(chart.getByText("limit 512Mi")).toBeVisible();
  const oomsInView = Number((await chart.getAttribute("aria-label"))!.match(/(\d+) OOMKills in view/)![1]);
  expect(oomsInView).toBeGreaterThan(0);

  // the verdict: a leak with a growth rate and a time to the next OOMKill
  await expect(page.getByText("Memory leak", { exact: true })).toBeVisible();
  await expect(page.getByTestId("verdict-summary")).toHaveText(/^Memory grows \d+(\.\d+)?Mi\/h and never plateaus; next OOMKill in about \d+ (minutes?|hours?)\.$/);

  // the window switch changes the chart and the URL
  await page.getByRole("group", { name: "Time window" }).getByRole("button", { name: "24h" }).click();
  await expect(page).toHaveURL(/window=24h/);
  await expect(page.getByRole("group", { name: "Time window" }).getByRole("button", { name: "24h" })).toHaveAttribute("aria-pressed", "true");

  // the fix: copy the kubectl command and read it back from the clipboard
  const fix = page.getByRole("region", { name: "The fix" });
  const shown = await fix.locator("figure", { hasText: "kubectl" }).first().locator("pre").innerText();
  expect(shown).toMatch(/^kubectl set resources deployment\/payments-api -n payments -c api --limits=memory=\d+(Mi|Gi) --requests=memory=\d+(Mi|Gi)$/);
  await fix.getByRole("button", { name: "Copy command" }).click();
  await expect(fix.getByRole("button", { name: "Copied" })).toBeVisible();
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  expect(clipboard).toBe(shown);
});

test("the container page is reached from the cluster table and shows a limit-too-low verdict", async ({ page }) => {
  await new LoginPage(page).signInWithDemo();
  await page.goto("/acme/clusters/prod-eu?namespace=payments");
  await page.getByRole("table").getByRole("link", { name: /ledger-db/ }).first().click();
  // the cluster page names the same verdict in its filter and table: read the container page once it is there
  await expect(page).toHaveURL(/\/statefulset\/ledger-db\/postgres/);
  await expect(page.getByText("Limit too low", { exact: true })).toBeVisible();
  await expect(page.getByTestId("verdict-summary")).toContainText("the limit is too low, not a leak");
  // the backtest of a plateau avoids every OOMKill
  await expect(page.getByText(/(\d+) of \1 OOMKills avoided/)).toBeVisible();
});

test("an unknown container answers 404 on the page and in the API", async ({ page }) => {
  await new LoginPage(page).signInWithDemo();
  const res = await page.goto("/acme/clusters/prod-eu/payments/deployment/payments-api/no-such-container");
  expect(res?.status()).toBe(404);
  const api = await page.request.get("/api/v1/orgs/acme/clusters/prod-eu/containers/payments/deployment/payments-api/no-such-container");
  expect(api.status()).toBe(404);
  const bad = await page.request.get("/api/v1/orgs/acme/clusters/prod-eu/containers/payments/deployment/payments-api/api?window=2y");
  expect(bad.status()).toBe(400);
  expect(JSON.stringify(await bad.json())).toContain("window");
});

test("a JVM whose heap is what kills: the verdict, the finding and the fix agree on the new -Xmx", async ({ page }) => {
  await new LoginPage(page).signInWithDemo();
  await page.goto("/acme/clusters/prod-eu/checkout/deployment/pricing-engine/engine");
  await expect(page.getByText("heap ceiling ≥ limit", { exact: true })).toBeVisible();
  await expect(page.getByTestId("verdict-summary")).toHaveText(/^The JVM heap may grow past the limit: -Xmx1g/);
  const fix = page.getByRole("region", { name: "The fix" });
  const env = await fix.locator("figure", { hasText: "heap setting" }).locator("pre").innerText();
  const xmx = /-Xmx(\d+)m/.exec(env)![1];
  expect(env).toMatch(new RegExp(`^kubectl set env deployment/pricing-engine -n checkout -c engine JAVA_OPTS='-Xms512m -Xmx${xmx}m -XX:\\+UseG1GC'$`));
  await expect(fix.locator("figure", { hasText: "Strategic-merge patch" })).toContainText(`value: "-Xms512m -Xmx${xmx}m -XX:+UseG1GC"`);
  await expect(page.getByRole("region", { name: "Findings" })).toContainText(`The fix below sets -Xmx${xmx}m`);
});

test("a right-sized container says so and offers no command", async ({ page }) => {
  await new LoginPage(page).signInWithDemo();
  await page.goto("/acme/clusters/prod-eu/checkout/deployment/checkout-web/web");
  await expect(page.getByTestId("no-change")).toContainText("Sizing is right");
  await expect(page.getByRole("region", { name: "The fix" }).getByRole("button", { name: "Copy command" })).toHaveCount(0);
});
