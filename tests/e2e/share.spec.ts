import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { createDb } from "@/db/connect";
import { shareLinks } from "@/db/schema";
import { hashToken } from "@/lib/security/tokens";
import { SNAPSHOT_KEYS } from "@/lib/share/snapshot";
import { LoginPage } from "./pages/dashboard";

const CONTAINER = "/acme/clusters/prod-eu/payments/deployment/payments-api/api";

async function createLink(page: import("@playwright/test").Page, opts: { redact: boolean; expires: string }) {
  await page.goto(CONTAINER);
  const card = page.getByRole("region", { name: "Share this incident" });
  await card.getByLabel("Expires after").selectOption(opts.expires);
  if (opts.redact) await card.getByLabel("Hide cluster and namespace names").check();
  await card.getByRole("button", { name: "Create share link" }).click();
  const url = await card.getByTestId("share-url").innerText();
  expect(url).toMatch(/\/share\/[A-Za-z0-9_-]{43}$/);
  return url;
}

test("a member shares an incident; someone without an account opens the frozen snapshot; revoked, it is gone", async ({ page, browser }) => {
  await new LoginPage(page).signInWithDemo();
  const url = await createLink(page, { redact: false, expires: "1d" });
  const token = url.split("/").pop()!;

  const outsider = await browser.newContext();
  const op = await outsider.newPage();
  const res = await op.goto(url);
  expect(res!.status()).toBe(200);
  const headers = res!.headers();
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["x-robots-tag"]).toContain("noindex");
  expect(headers["cache-control"]).toContain("no-store");
  await expect(op.getByRole("heading", { name: /payments-api/ })).toBeVisible();
  await expect(op.getByRole("region", { name: "Verdict" })).toBeVisible();
  await expect(op.getByRole("region", { name: "The fix" })).toContainText("kubectl");
  // nothing of the organization beyond the snapshot: no navigation, no other incidents
  await expect(op.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  await expect(op.getByText("Top offenders")).toHaveCount(0);

  // the exact fields, and no internal id, endpoint or image
  const api = await op.request.get(`/api/v1/share/${token}`);
  const snapshot = await api.json();
  expect(Object.keys(snapshot).sort()).toEqual([...SNAPSHOT_KEYS].sort());
  const text = JSON.stringify(snapshot);
  expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  // no endpoint (a profiling hint may point at localhost through a port-forward)
  expect(text).not.toMatch(/https?:\/\/(?!localhost[:/])/);
  expect(text).not.toContain("acme/payments-api:");

  // the database holds the SHA-256 only, with the views counted
  const db = createDb(process.env.E2E_DATABASE_URL!, 1);
  try {
    const [row] = await db.select().from(shareLinks).where(eq(shareLinks.tokenHash, hashToken(token)));
    expect(row).toBeTruthy();
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row!.viewCount).toBe(2);
    expect(row!.lastViewedAt).not.toBeNull();
  } finally {
    await db.$client.end();
  }

  // the member sees the views, then revokes; the link is a 404 like any unknown one
  await page.reload();
  const card = page.getByRole("region", { name: "Share this incident" });
  await expect(card.getByRole("listitem").first()).toContainText("2 views");
  await card.getByRole("button", { name: "Revoke" }).first().click();
  await expect(card.getByRole("listitem").first()).toContainText("revoked");
  const gone = await op.goto(url);
  expect(gone!.status()).toBe(404);
  const goneText = await gone!.text();
  const unknownToken = "A".repeat(43);
  const unknown = await op.goto(`/share/${unknownToken}`);
  expect(unknown!.status()).toBe(404);
  // the same page for a revoked and an unknown token (but for the per-request nonce and the token itself)
  const same = (t: string, tok: string) => t.replaceAll(tok, "TOKEN").replace(/[A-Za-z0-9+/]{40,}={0,2}/g, "NONCE");
  expect(same(goneText, token)).toBe(same(await unknown!.text(), unknownToken));
  await expect(op.getByRole("heading", { name: "Not found" })).toBeVisible();
  await outsider.close();
});

test("a redacted link hides the cluster and namespace names everywhere, commands included; an expired one is a 404", async ({ page, request }) => {
  await new LoginPage(page).signInWithDemo();
  const url = await createLink(page, { redact: true, expires: "7d" });
  const token = url.split("/").pop()!;
  const snapshot = await (await request.get(`/api/v1/share/${token}`)).json();
  const text = JSON.stringify(snapshot);
  expect(snapshot.redacted).toBe(true);
  expect(text).not.toContain("prod-eu");
  expect(text).not.toMatch(/(?<![A-Za-z0-9-])payments(?![A-Za-z0-9-])/);
  expect(snapshot.analysis.commands.kubectl).toContain("-n namespace-a");
  expect(snapshot.subject.workload).toBe("payments-api");

  const db = createDb(process.env.E2E_DATABASE_URL!, 1);
  try {
    await db.update(shareLinks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(shareLinks.tokenHash, hashToken(token)));
  } finally {
    await db.$client.end();
  }
  expect((await request.get(`/api/v1/share/${token}`)).status()).toBe(404);
  expect((await request.get(url)).status()).toBe(404);
});
