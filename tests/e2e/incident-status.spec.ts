import { expect, test } from "@playwright/test";
import { containerHref } from "@/lib/links";
import { memberCookie } from "../support/sessions";

// Members acknowledge and resolve incidents from the container page; viewers see no such buttons;
// each change is in the audit log.

test("a member acknowledges then resolves an incident; a viewer cannot", async ({ browser, baseURL, request }) => {
  const db = process.env.E2E_DATABASE_URL!;
  const member = await memberCookie(db, { slug: "acme", email: "member@status.acme.example", name: "Status Member", role: "member" });
  const viewer = await memberCookie(db, { slug: "acme", email: "viewer@status.acme.example", name: "Status Viewer", role: "viewer" });
  const list = await (await request.get("/api/v1/orgs/acme/incidents?status=open&pageSize=50", { headers: { cookie: member } })).json();
  // the quietest open incident, so the other suites' favourites (payments-api) stay open
  const inc = list.rows.filter((r: { workloadName: string }) => r.workloadName !== "payments-api").at(-1);
  expect(inc).toBeTruthy();
  const href = containerHref("acme", { cluster: inc.cluster, namespace: inc.namespace, workloadKind: inc.workloadKind, workloadName: inc.workloadName, container: inc.container });

  const as = async (cookie: string) => {
    const ctx = await browser.newContext();
    const [name, value] = cookie.split(/=(.*)/s) as [string, string];
    await ctx.addCookies([{ name, value, url: baseURL! }]);
    return { ctx, page: await ctx.newPage() };
  };
  const v = await as(viewer);
  await v.page.goto(href);
  await expect(v.page.getByText(/incident ·/)).toBeVisible();
  await expect(v.page.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  expect((await v.page.request.patch(`/api/v1/orgs/acme/incidents/${inc.id}`, { data: { status: "resolved" } })).status()).toBe(403);
  await v.ctx.close();

  const m = await as(member);
  await m.page.goto(href);
  await m.page.getByRole("button", { name: "Acknowledge" }).click();
  await expect(m.page.getByText(/acknowledged/).first()).toBeVisible();
  await expect(m.page.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  await m.page.getByRole("button", { name: "Resolve" }).click();
  await expect(m.page.getByText(/incident ·/)).toHaveCount(0);
  const after = await (await request.get("/api/v1/orgs/acme/incidents?status=resolved&pageSize=100", { headers: { cookie: member } })).json();
  expect(after.rows.map((r: { id: string }) => r.id)).toContain(inc.id);
  await m.ctx.close();

  const admin = await memberCookie(db, { slug: "acme", email: "admin@status.acme.example", name: "Status Admin", role: "admin" });
  const log = await (await request.get("/api/v1/orgs/acme/audit?action=incident", { headers: { cookie: admin } })).json();
  const mine = log.entries.filter((e: { actor: string; targetId: string }) => e.actor === "member@status.acme.example" && e.targetId === inc.id).map((e: { action: string }) => e.action);
  expect(mine).toEqual(["incident.resolved", "incident.acknowledged"]);
});
