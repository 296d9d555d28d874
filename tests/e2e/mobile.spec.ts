import { expect, test, type Page } from "@playwright/test";
import { allPages, contextAt, ownerCookie, type AppPage } from "./pages/all-pages";

// Every page under app/ at a phone's 390 x 844 and a desktop's 1440 x 900: the document is never wider
// than the window (tables scroll inside their card); on the phone the navigation folds into a menu.

const SHOTS = process.env.MOBILE_SHOTS;

let cookie = "";
let pages: AppPage[] = [];
test.beforeAll(async ({ request }) => {
  cookie = await ownerCookie();
  pages = await allPages(request, cookie);
});

/** How far the document reaches past the window's right edge, and the widest element that does it. */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const doc = document.scrollingElement!;
    const over = doc.scrollWidth - window.innerWidth;
    let culprit = "";
    if (over > 0) {
      for (const el of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 && getComputedStyle(el).position !== "fixed") {
          culprit = `${el.tagName.toLowerCase()}.${el.className.toString().split(" ").slice(0, 4).join(".")} (${Math.round(r.right)} px): ${el.textContent?.slice(0, 60)}`;
          break;
        }
      }
    }
    return { over, culprit };
  });

for (const [width, height] of [[390, 844], [1440, 900]] as const) {
  test(`at ${width} px no page scrolls sideways`, async ({ browser, baseURL }) => {
    test.setTimeout(240_000);
    expect(pages.length).toBeGreaterThanOrEqual(15);
    const signedIn = await contextAt(browser, baseURL!, width, height, cookie);
    const signedOut = await contextAt(browser, baseURL!, width, height);
    const problems: string[] = [];
    for (const p of pages) {
      const page = await (p.signedIn ? signedIn : signedOut).newPage();
      const res = await page.goto(p.url);
      expect(res?.status(), p.url).toBeLessThan(p.url.includes("no-such-token") ? 500 : 400);
      await page.waitForLoadState("networkidle");
      const { over, culprit } = await overflow(page);
      if (over > 0) problems.push(`${p.url}: ${over} px too wide — ${culprit}`);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/${width}${p.url.replace(/[/?=&]/g, "_").slice(0, 120)}.png`, fullPage: true });
      await page.close();
    }
    expect(problems).toEqual([]);
    await signedIn.close();
    await signedOut.close();
  });
}

test("on a phone the navigation is a menu: closed at first, it opens, leads to a page and closes", async ({ browser, baseURL }) => {
  const ctx = await contextAt(browser, baseURL!, 390, 844, cookie);
  const page = await ctx.newPage();
  await page.goto("/acme");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Incidents" })).toBeHidden();
  const menu = nav.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await expect(nav.getByRole("button", { name: "Close" })).toHaveAttribute("aria-expanded", "true");
  await nav.getByRole("link", { name: "Incidents" }).click();
  await page.waitForURL(/\/acme\/incidents$/);
  await expect(nav.getByRole("link", { name: "Incidents" })).toBeHidden();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // at a desktop width the links are there without a menu
  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(nav.getByRole("link", { name: "Incidents" })).toBeVisible();
  await expect(nav.getByRole("button", { name: "Menu" })).toBeHidden();
  await ctx.close();
});

test("on a phone the container page's fix and copy buttons are in a thumb's reach: full-width, at least 44 px tall", async ({ browser, baseURL }) => {
  const ctx = await contextAt(browser, baseURL!, 390, 844, cookie);
  const page = await ctx.newPage();
  await page.goto("/acme/clusters/prod-eu/payments/deployment/payments-api/api");
  const copy = page.getByRole("button", { name: /^Copy/ }).first();
  await expect(copy).toBeVisible();
  const box = (await copy.boundingBox())!;
  expect(box.height).toBeGreaterThanOrEqual(44);
  expect(box.width).toBeGreaterThanOrEqual(44);
  if (SHOTS) {
    await page.screenshot({ path: `${SHOTS}/container-390.png`, fullPage: true });
    await page.locator("section", { has: page.getByRole("img", { name: /^Memory chart/ }) }).screenshot({ path: `${SHOTS}/chart-390.png` });
  }
  await ctx.close();
});

test("a link from a chat message, opened signed out on a phone: sign in, land on that page", async ({ browser, baseURL }) => {
  const ctx = await contextAt(browser, baseURL!, 390, 844);
  const page = await ctx.newPage();
  const incident = pages.find((p) => p.file.includes("[incident]"))!.url;
  await page.goto(incident);
  await page.waitForURL(/\/login\?callbackUrl=/);
  expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(incident);
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
  await page.getByRole("button", { name: "Continue with the demo account" }).click();
  await page.waitForURL((u) => u.pathname === incident);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("payments-api");
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
  await ctx.close();
});
