import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { allPages, contextAt, ownerCookie, type AppPage } from "./pages/all-pages";

// axe-core on every page under app/, in the light and the dark colour scheme, at a desktop and a
// phone's width: no serious or critical violation of WCAG 2.1 A/AA (contrast of secondary text
// included). Plus what axe cannot see: a skip link that moves focus to the content, a chart with a name.

let cookie = "";
let pages: AppPage[] = [];
test.beforeAll(async ({ request }) => {
  cookie = await ownerCookie();
  pages = await allPages(request, cookie);
});

for (const scheme of ["light", "dark"] as const) {
  for (const width of [1440, 390]) {
    test(`axe: no serious or critical violation on any page, ${scheme} mode, ${width} px`, async ({ browser, baseURL }) => {
      test.setTimeout(300_000);
      const found: string[] = [];
      const signedIn = await contextAt(browser, baseURL!, width, 900, cookie, scheme);
      const signedOut = await contextAt(browser, baseURL!, width, 900, undefined, scheme);
      for (const p of pages) {
        const page = await (p.signedIn ? signedIn : signedOut).newPage();
        await page.goto(p.url);
        await page.waitForLoadState("networkidle");
        const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
        for (const v of violations.filter((x) => x.impact === "serious" || x.impact === "critical")) {
          const where = v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}${n.any[0]?.message ? ` (${n.any[0].message})` : ""}`).join("; ");
          found.push(`${p.url}: ${v.id} [${v.impact}] ×${v.nodes.length} — ${where}`);
        }
        await page.close();
      }
      await signedIn.close();
      await signedOut.close();
      expect(found).toEqual([]);
    });
  }
}

test("a skip link is the first thing Tab reaches, and it moves focus to the page's content", async ({ browser, baseURL }) => {
  const ctx = await contextAt(browser, baseURL!, 1440, 900, cookie);
  const page = await ctx.newPage();
  await page.goto("/acme/incidents");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
  await ctx.close();
});

test("the memory chart has a name and a text summary a screen reader reads", async ({ browser, baseURL }) => {
  const ctx = await contextAt(browser, baseURL!, 1440, 900, cookie);
  const page = await ctx.newPage();
  await page.goto("/acme/clusters/prod-eu/payments/deployment/payments-api/api");
  const chart = page.getByRole("img", { name: /Memory chart: working set against the 512Mi limit/ });
  await expect(chart).toBeVisible();
  const summary = await chart.getAttribute("aria-describedby");
  expect(summary).toBeTruthy();
  // the summary names the limit, the peak working set and the kills in the window, with units
  await expect(page.locator(`[id="${summary}"]`)).toHaveText(/limit 512Mi.*peak working set [\d.]+(Mi|Gi).*\d+ OOMKills?/s);
  await ctx.close();
});
