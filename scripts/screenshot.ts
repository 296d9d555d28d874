// Developer aid: signs in to the demo and screenshots pages. [SHOT_WIDTH=390] tsx scripts/screenshot.ts BASE_URL OUT_DIR PATH...
import { chromium } from "@playwright/test";

const [base = "http://127.0.0.1:3000", out = "/tmp/shots", ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const width = Number(process.env.SHOT_WIDTH ?? 1440);
const page = await browser.newPage({ viewport: { width, height: width < 600 ? 844 : 1000 } });
await page.goto(`${base}/login`);
await page.getByRole("button", { name: "Continue with the demo account" }).click();
await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 15_000 }).catch(async () => console.log("still on", page.url(), await page.content()));
for (const [i, p] of (paths.length ? paths : ["/acme"]).entries()) {
  await page.goto(`${base}${p}`);
  await page.waitForLoadState("load");
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${out}/${i}.png`, fullPage: true });
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  console.log(`${out}/${i}.png ${p}${scrollWidth > width ? ` — scrolls sideways (${scrollWidth} px)` : ""}`);
}
await browser.close();
