import { expect, test, type Page } from "@playwright/test";
import { LoginPage } from "./pages/dashboard";

// The what-if on the container page: typed and dragged values replayed by the engine in the browser.
// WHATIF_SHOTS=dir saves screenshots of the card at 1440 and 390 px.
const CART = "/acme/clusters/prod-eu/checkout/deployment/cart-service/cart";

async function whatIf(page: Page, path: string) {
  await new LoginPage(page).signInWithDemo();
  await page.goto(path);
  const card = page.getByRole("region", { name: "What if" });
  await expect(card).toBeVisible();
  return {
    card,
    limit: card.getByRole("textbox", { name: "Limit" }),
    request: card.getByRole("textbox", { name: "Request" }),
    backtest: card.getByTestId("what-if-backtest"),
    cost: card.getByTestId("what-if-cost"),
    command: card.locator("figure", { hasText: "kubectl (what-if)" }).locator("pre"),
  };
}

test("a spiky container that gets OOMKilled: a higher limit avoids the kills, a higher request costs, the command follows", async ({ page }) => {
  const w = await whatIf(page, CART);
  // starts at today's values: every kill happened at this limit, so none is avoided
  await expect(w.limit).toHaveValue("512Mi");
  await expect(w.request).toHaveValue("256Mi");
  await expect(w.backtest).toContainText(/(?<!\d)0 of (\d+) OOMKills avoided/);
  const observed = Number((await w.backtest.innerText()).match(/(?<!\d)0 of (\d+) OOMKills avoided/)![1]);
  expect(observed).toBeGreaterThan(0);
  await expect(w.card.getByText("These are today's request and limit: nothing to apply.")).toBeVisible();

  // a limit well above every kill's demand: all avoided, no cost change (the request is what costs)
  await w.limit.fill("2Gi");
  await expect(w.backtest).toContainText(`${observed} of ${observed} OOMKills avoided`);
  await expect(w.cost).toContainText("No change: the request stays what it is today");
  await expect(w.command).toHaveText("kubectl set resources deployment/cart-service -n checkout -c cart --limits=memory=2Gi --requests=memory=256Mi");

  // +256Mi of request at prod-eu's $3.20 per GiB-month: +$0.80 per replica, +$2.40 for 3
  await w.request.fill("512Mi");
  await expect(w.cost).toContainText("+$0.80/mo per replica · +$2.40/mo for 3 replicas");
  await expect(w.command).toHaveText("kubectl set resources deployment/cart-service -n checkout -c cart --limits=memory=2Gi --requests=memory=512Mi");

  // a limit below the peak: the kills remain and the headroom is negative
  await w.request.fill("256Mi");
  await w.limit.fill("400Mi");
  await expect(w.backtest).toContainText(new RegExp(`(?<!\\d)0 of ${observed} OOMKills avoided`));
  await expect(w.backtest).toContainText(/tightest headroom exceeded by \d+Mi/);

  // dragging the slider writes the quantity into the field
  await w.card.getByRole("slider", { name: "Limit (slider)" }).fill("1024");
  await expect(w.limit).toHaveValue("1Gi");
  await expect(w.command).toHaveText(/--limits=memory=1Gi --requests=memory=256Mi$/);

  // the recommended values give exactly the recommendation card's backtest
  const recBacktest = (await page.getByRole("region", { name: "Recommendation" }).getByText(/\d+ of \d+ OOMKills avoided/).innerText()).trim();
  await w.card.getByRole("button", { name: /^Use recommended/ }).click();
  await expect(w.backtest).toContainText(recBacktest);
  await w.card.getByRole("button", { name: "Reset to current" }).click();
  await expect(w.limit).toHaveValue("512Mi");
});

test("invalid quantities are refused with a message, and nothing is replayed", async ({ page }) => {
  const w = await whatIf(page, CART);
  await w.limit.fill("768mi");
  await expect(w.card.getByText("Units are case-sensitive: write 768Mi, not 768mi.")).toBeVisible();
  await expect(w.limit).toHaveAttribute("aria-invalid", "true");
  await expect(w.card.getByTestId("what-if-invalid")).toBeVisible();
  await expect(w.backtest).toHaveCount(0);
  await w.limit.fill("768 Mi");
  await expect(w.card.getByText("No space between the number and the unit: 768Mi.")).toBeVisible();
  await w.limit.fill("768Mi");
  await w.request.fill("1Gi");
  await expect(w.card.getByText("The request (1Gi) is above the limit (768Mi): Kubernetes refuses such a pod. Lower the request or raise the limit.")).toBeVisible();
  await w.request.fill("$(reboot)");
  await expect(w.card.getByText(/"\$\(reboot\)" is not a Kubernetes quantity/)).toBeVisible();
  await expect(w.command).toHaveCount(0);
  await w.request.fill("384Mi");
  await expect(w.command).toHaveText("kubectl set resources deployment/cart-service -n checkout -c cart --limits=memory=768Mi --requests=memory=384Mi");
});

test("the heap-ceiling check: -Xmx1g in JAVA_OPTS at a 1Gi limit must come down with it", async ({ page }) => {
  const w = await whatIf(page, "/acme/clusters/prod-eu/checkout/deployment/pricing-engine/engine");
  await w.limit.fill("1Gi");
  await expect(w.card.getByText("heap ≥ limit")).toBeVisible();
  await expect(w.card.getByText(/The JVM heap ceiling -Xmx1g in JAVA_OPTS \(1Gi\) is at or above the 1Gi limit.*Lower it to -Xmx768m \(75% of the limit\) in JAVA_OPTS together with the limit/)).toBeVisible();
  await w.limit.fill("2Gi");
  await expect(w.card.getByText("heap ok")).toBeVisible();
});

test("the recommendation card offers fewer replicas at equal cost where it holds, and says why not elsewhere", async ({ page }) => {
  await new LoginPage(page).signInWithDemo();
  await page.goto(CART);
  const alt = page.getByRole("region", { name: "Recommendation" }).getByTestId("fewer-replicas");
  await expect(alt).toContainText("3 → 2 replicas at request 384Mi / limit 768Mi");
  // 3 x 256Mi today = 2 x 384Mi: the same $2.40/mo where the recommendation costs $3.60/mo
  await expect(alt.getByRole("row", { name: /today/ })).toContainText("$2.40/mo");
  await expect(alt.getByRole("row", { name: /recommended/ })).toContainText("$3.60/mo");
  await expect(alt.getByRole("row", { name: /this alternative/ })).toContainText("2 × 384Mi$2.40/mo (±$0.00)");
  await expect(alt.locator("pre")).toHaveText("kubectl set resources deployment/cart-service -n checkout -c cart --limits=memory=768Mi --requests=memory=384Mi\nkubectl scale deployment/cart-service -n checkout --replicas=2");

  await page.goto("/acme/clusters/prod-eu/payments/deployment/payments-api/api");
  await expect(page.getByTestId("fewer-replicas")).toHaveText("Fewer replicas with more memory each: not offered. Not for a leak: memory grows in every pod whatever their number; bigger pods only die later. Fix the leak.");
});

test("at 390 px the what-if fits the screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const w = await whatIf(page, CART);
  await w.limit.fill("1Gi");
  await expect(w.backtest).toContainText("OOMKills avoided");
  const shots = process.env.WHATIF_SHOTS;
  if (shots) await w.card.screenshot({ path: `${shots}/what-if-390.png` });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test("at 1440 px (screenshot when SHOTS is set)", async ({ page }) => {
  const w = await whatIf(page, CART);
  await w.limit.fill("1Gi");
  await w.request.fill("384Mi");
  await expect(w.backtest).toContainText("OOMKills avoided");
  const shots = process.env.WHATIF_SHOTS;
  if (shots) {
    await w.card.screenshot({ path: `${shots}/what-if-1440.png` });
    await page.getByRole("region", { name: "Recommendation" }).screenshot({ path: `${shots}/recommendation-1440.png` });
  }
});
