import { expect, test, type Browser, type Page } from "@playwright/test";
import { memberCookie } from "../support/sessions";

// The incident page in Chromium: a member opens an incident from the list, reads its timeline of kills,
// adds a note, assigns it to themselves, snoozes and resolves it — each on the page and in the audit
// log; a viewer sees the same incident without any action; the API refuses what the page hides.

const SHOTS = process.env.INCIDENT_SHOTS;

async function as(browser: Browser, baseURL: string, cookie: string, width = 1440) {
  const ctx = await browser.newContext({ viewport: { width, height: 1000 } });
  const [name, value] = cookie.split(/=(.*)/s) as [string, string];
  await ctx.addCookies([{ name, value, url: baseURL }]);
  return { ctx, page: await ctx.newPage() };
}

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test("a member works an incident from the list to resolved; a viewer reads it without actions", async ({ browser, baseURL, request }) => {
  const db = process.env.E2E_DATABASE_URL!;
  const member = await memberCookie(db, { slug: "acme", email: "member@incident-page.acme.example", name: "Ines Member", role: "member" });
  const viewer = await memberCookie(db, { slug: "acme", email: "viewer@incident-page.acme.example", name: "Vic Viewer", role: "viewer" });
  const admin = await memberCookie(db, { slug: "acme", email: "admin@incident-page.acme.example", name: "Ada Admin", role: "admin" });
  // an open incident with several kills, not the other suites' favourite (payments-api)
  const open = await (await request.get("/api/v1/orgs/acme/incidents?status=open&sort=kills&dir=desc&pageSize=50", { headers: { cookie: member } })).json();
  const inc = open.rows.find((r: { workloadName: string; oomCount: number }) => r.workloadName !== "payments-api" && r.oomCount >= 2);
  expect(inc, "an open incident with kills").toBeTruthy();
  const name = `${inc.workloadName}/${inc.container}`;

  const m = await as(browser, baseURL!, member);
  const page = m.page;
  await page.goto(`/acme/incidents?cluster=${inc.cluster}&namespace=${inc.namespace}&status=open&sort=kills`);
  await expect(page.getByRole("columnheader", { name: /OOMKills/ })).toHaveAttribute("aria-sort", "descending");
  await expect(page.getByTestId("count-open")).toHaveText(/^\d+$/);
  await page.getByRole("table").getByRole("link", { name }).first().click();
  await expect(page).toHaveURL(new RegExp(`/acme/incidents/${inc.id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByRole("link", { name: "Container page →" })).toBeVisible();

  // the timeline shows the kills: OOMKilled, exit 137, with the pod
  const timeline = page.getByRole("list", { name: "Timeline" });
  const kills = timeline.locator('[data-kind="termination"]', { hasText: "OOMKilled" });
  expect(await kills.count()).toBeGreaterThanOrEqual(2);
  await expect(kills.first()).toContainText("exit 137");
  await expect(kills.first()).toContainText(/pod \S+/);
  // the verdict then and now
  const verdicts = page.getByRole("region", { name: "The verdict at the first kill and now" });
  await expect(verdicts.getByRole("heading", { name: "At the first kill", exact: true })).toBeVisible();
  await expect(verdicts.getByRole("heading", { name: "Now", exact: true })).toBeVisible();

  // a note
  await page.getByLabel("Add a note").fill("  Raised the heap in values.yaml; watching it.  ");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(timeline.locator('[data-kind="note"]').first()).toContainText("Ines Member noted");
  await expect(timeline.locator('[data-kind="note"]').first()).toContainText("Raised the heap in values.yaml; watching it.");
  await expect(page.getByLabel("Add a note")).toHaveValue("");

  // assigned to self
  await page.getByRole("button", { name: "Assign to me" }).click();
  await expect(page.getByText(/assigned to Ines Member/)).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Assignee" })).toHaveValue(/[0-9a-f-]{36}/);
  await expect(timeline.getByText("Assigned to Ines Member by Ines Member")).toBeVisible();

  // snoozed for 4 hours: shown as snoozed, and counted as such on the list
  await page.getByRole("combobox", { name: "Snooze" }).selectOption("4h");
  await expect(page.getByText(/^Snoozed until .* UTC: out of the active list until then\.$/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Unsnooze" })).toBeVisible();
  await expect(timeline.getByText(/^Snoozed until .* by Ines Member$/)).toBeVisible();
  const snoozed = await (await request.get("/api/v1/orgs/acme/incidents?status=snoozed&pageSize=200", { headers: { cookie: member } })).json();
  expect(snoozed.rows.map((r: { id: string }) => r.id)).toContain(inc.id);
  expect(snoozed.counts.snoozed).toBeGreaterThanOrEqual(1);
  const active = await (await request.get("/api/v1/orgs/acme/incidents?status=active&pageSize=200", { headers: { cookie: member } })).json();
  expect(active.rows.map((r: { id: string }) => r.id)).not.toContain(inc.id);

  if (SHOTS) await page.screenshot({ path: `${SHOTS}/incident-1440.png`, fullPage: true });

  // the viewer: everything readable, no action anywhere; the API agrees
  const v = await as(browser, baseURL!, viewer);
  await v.page.goto(`/acme/incidents/${inc.id}`);
  await expect(v.page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(v.page.getByRole("list", { name: "Timeline" }).locator('[data-kind="termination"]').first()).toContainText("OOMKilled");
  await expect(v.page.getByText("Raised the heap in values.yaml; watching it.")).toBeVisible();
  await expect(v.page.getByText("You can read this incident; members and admins act on it.")).toBeVisible();
  for (const button of ["Acknowledge", "Resolve", "Reopen", "Assign to me", "Unsnooze", "Add note"]) await expect(v.page.getByRole("button", { name: button })).toHaveCount(0);
  await expect(v.page.getByRole("combobox", { name: "Assignee" })).toHaveCount(0);
  await expect(v.page.getByLabel("Add a note")).toHaveCount(0);
  expect((await v.page.request.post(`/api/v1/orgs/acme/incidents/${inc.id}/notes`, { data: { body: "sneaky" } })).status()).toBe(403);
  expect((await v.page.request.patch(`/api/v1/orgs/acme/incidents/${inc.id}`, { data: { snooze: null } })).status()).toBe(403);
  await v.ctx.close();

  // what the form cannot send, the API refuses by field
  const blank = await page.request.post(`/api/v1/orgs/acme/incidents/${inc.id}/notes`, { data: { body: "   " } });
  expect(blank.status()).toBe(400);
  expect((await blank.json()).issues.map((i: { path: string }) => i.path)).toEqual(["body"]);
  const stranger = await page.request.patch(`/api/v1/orgs/acme/incidents/${inc.id}`, { data: { assigneeUserId: "00000000-0000-4000-8000-000000000000" } });
  expect(stranger.status()).toBe(400);
  expect((await stranger.json()).issues.map((i: { path: string }) => i.path)).toEqual(["assigneeUserId"]);

  // resolved by hand, while snoozed
  await page.getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByText(/^Resolved by hand on .* UTC\.$/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Reopen" })).toBeVisible();
  await expect(timeline.getByText("Resolved by Ines Member")).toBeVisible();
  await m.ctx.close();

  // every step in the audit log, by the member
  const log = await (await request.get("/api/v1/orgs/acme/audit?action=incident", { headers: { cookie: admin } })).json();
  const mine = log.entries.filter((e: { actor: string; targetId: string }) => e.actor === "member@incident-page.acme.example" && e.targetId === inc.id).map((e: { action: string }) => e.action);
  expect(mine).toEqual(["incident.resolved", "incident.snoozed", "incident.assigned", "incident.note_added"]);
});

test("the incident page and the list fit a 390 px phone", async ({ browser, baseURL, request }) => {
  const member = await memberCookie(process.env.E2E_DATABASE_URL!, { slug: "acme", email: "member@incident-page.acme.example", name: "Ines Member", role: "member" });
  const list = await (await request.get("/api/v1/orgs/acme/incidents?status=active&sort=kills&pageSize=5", { headers: { cookie: member } })).json();
  const inc = list.rows[0];
  const p = await as(browser, baseURL!, member, 390);
  await p.page.goto(`/acme/incidents/${inc.id}`);
  await expect(p.page.getByRole("list", { name: "Timeline" })).toBeVisible();
  expect(await noSidewaysScroll(p.page)).toBe(true);
  if (SHOTS) await p.page.screenshot({ path: `${SHOTS}/incident-390.png`, fullPage: true });
  await p.page.goto("/acme/incidents");
  await expect(p.page.getByRole("table").locator("tbody tr").first()).toBeVisible();
  expect(await noSidewaysScroll(p.page)).toBe(true);
  if (SHOTS) await p.page.screenshot({ path: `${SHOTS}/incidents-390.png`, fullPage: true });
  await p.ctx.close();
});

test("snooze until a time: typed in the picked zone, whatever the browser's own zone", async ({ browser, baseURL, request }) => {
  const db = process.env.E2E_DATABASE_URL!;
  const member = await memberCookie(db, { slug: "acme", email: "snoozer@incident-page.acme.example", name: "Sam Snoozer", role: "member" });
  const open = await (await request.get("/api/v1/orgs/acme/incidents?status=active&sort=kills&dir=asc&pageSize=50", { headers: { cookie: member } })).json();
  const inc = open.rows.find((r: { snoozedUntil: string | null }) => !r.snoozedUntil);
  expect(inc, "an active incident to snooze").toBeTruthy();
  // a browser in New York whose user picked Berlin for the UI
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 }, timezoneId: "America/New_York" });
  const [name, value] = member.split(/=(.*)/s) as [string, string];
  await ctx.addCookies([{ name, value, url: baseURL! }, { name: "headroom_tz", value: "Europe/Berlin", url: baseURL! }]);
  const page = await ctx.newPage();
  await page.goto(`/acme/incidents/${inc.id}`);
  await page.getByRole("combobox", { name: "Snooze" }).selectOption("until");
  await expect(page.getByText("(Berlin time)")).toBeVisible();
  // two days ahead at 14:30 Berlin time (UTC+1 in winter, +2 in summer: the API says which)
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  await page.locator('input[type="datetime-local"]').fill(`${day}T14:30`);
  await page.getByRole("button", { name: "Snooze", exact: true }).click();
  await expect(page.getByText(/^Snoozed until \d{1,2} \w{3} \d{4}, 14:30 Berlin: out of the active list until then\.$/)).toBeVisible();
  const stored = await (await request.get(`/api/v1/orgs/acme/incidents/${inc.id}`, { headers: { cookie: member } })).json();
  const until: string = stored.incident?.snoozedUntil ?? stored.snoozedUntil;
  expect(until).toMatch(new RegExp(`^${day}T1[23]:30:00`));
  await page.getByRole("button", { name: "Unsnooze" }).click();
  await expect(page.getByRole("combobox", { name: "Snooze" })).toBeVisible();
  await ctx.close();
});
