import { expect, test, type APIRequestContext } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import { createDb } from "@/db/connect";
import { incidents, memberships, organizations, users } from "@/db/schema";
import type { Role } from "@/lib/auth/roles";
import { sessionCookie } from "../support/sessions";

const ROLES: Role[] = ["viewer", "member", "admin", "owner"];
const cookies: Partial<Record<Role, string>> = {};
let incidentId = "";
const NO_SUCH = "00000000-0000-4000-8000-000000000000";

/** A session cookie for a member of acme with `role`, as next-auth would set after sign-in. */
test.beforeAll(async () => {
  const db = createDb(process.env.E2E_DATABASE_URL!, 1);
  try {
    const [acme] = await db.select().from(organizations).where(eq(organizations.slug, "acme"));
    for (const role of ROLES) {
      const email = `${role}@roles.acme.example`;
      const [user] = await db.insert(users).values({ email, name: `A ${role}` }).onConflictDoUpdate({ target: users.email, set: { name: `A ${role}` } }).returning();
      await db.insert(memberships).values({ orgId: acme!.id, userId: user!.id, role }).onConflictDoUpdate({ target: [memberships.orgId, memberships.userId], set: { role } });
      cookies[role] = (await sessionCookie(db, user!.id)).cookie;
    }
    const [incident] = await db.select({ id: incidents.id }).from(incidents).where(eq(incidents.orgId, acme!.id)).limit(1);
    incidentId = incident!.id;
    // the check reads the role on each request: a membership changed in the database applies at once
    const [viewer] = await db.select().from(users).where(eq(users.email, "viewer@roles.acme.example"));
    await db.update(memberships).set({ role: "viewer" }).where(and(eq(memberships.orgId, acme!.id), eq(memberships.userId, viewer!.id)));
  } finally {
    await db.$client.end();
  }
});

const as = (_request: APIRequestContext, role: Role) => ({ headers: { cookie: cookies[role]! } });
const BASE = "/api/v1/orgs/acme";
const READS = [
  `${BASE}/overview`, `${BASE}/clusters`, `${BASE}/clusters/prod-eu`, `${BASE}/clusters/prod-eu/workloads`, `${BASE}/incidents`,
  `${BASE}/clusters/prod-eu/containers/payments/deployment/payments-api/api`, `${BASE}/search?q=payments`,
];

for (const role of ROLES) {
  test(`as the ${role}: every page's API answers`, async ({ request }) => {
    for (const path of READS) expect((await request.get(path, as(request, role))).status(), path).toBe(200);
  });
}

/** What each mutating route needs (the least role), and a request that passes validation as far as the role check lets it. */
const MUTATIONS: { name: string; least: Role; send: (r: APIRequestContext, role: Role) => Promise<{ status(): number }> }[] = [
  { name: "GET cluster settings", least: "admin", send: (r, role) => r.get(`${BASE}/clusters/prod-eu/settings`, as(r, role)) },
  { name: "POST add cluster", least: "admin", send: (r, role) => r.post(`${BASE}/clusters`, { ...as(r, role), data: {} }) },
  { name: "PUT cluster settings", least: "admin", send: (r, role) => r.put(`${BASE}/clusters/prod-eu/settings`, { ...as(r, role), data: {} }) },
  { name: "POST test connection", least: "admin", send: (r, role) => r.post(`${BASE}/clusters/prod-eu/settings/test`, { ...as(r, role), data: {} }) },
  { name: "GET Kubernetes connection", least: "admin", send: (r, role) => r.get(`${BASE}/clusters/prod-eu/kubernetes`, as(r, role)) },
  { name: "PUT Kubernetes connection", least: "admin", send: (r, role) => r.put(`${BASE}/clusters/prod-eu/kubernetes`, { ...as(r, role), data: {} }) },
  { name: "DELETE Kubernetes connection", least: "admin", send: (r, role) => r.delete(`${BASE}/clusters/prod-eu/kubernetes`, as(r, role)) },
  { name: "POST Kubernetes test connection", least: "admin", send: (r, role) => r.post(`${BASE}/clusters/prod-eu/kubernetes/test`, { ...as(r, role), data: {} }) },
  { name: "PUT cluster pricing", least: "admin", send: (r, role) => r.put(`${BASE}/clusters/prod-eu/pricing`, { ...as(r, role), data: {} }) },
  { name: "POST sync now", least: "member", send: (r, role) => r.post(`${BASE}/clusters/prod-eu/sync`, { ...as(r, role), data: {} }) },
  { name: "GET SSO settings", least: "admin", send: (r, role) => r.get(`${BASE}/sso`, as(r, role)) },
  { name: "PUT SSO settings", least: "admin", send: (r, role) => r.put(`${BASE}/sso`, { ...as(r, role), data: {} }) },
  { name: "PUT SSO on/off", least: "admin", send: (r, role) => r.put(`${BASE}/sso/enabled`, { ...as(r, role), data: { enabled: true } }) },
  { name: "GET members", least: "admin", send: (r, role) => r.get(`${BASE}/members`, as(r, role)) },
  { name: "PATCH member role", least: "admin", send: (r, role) => r.patch(`${BASE}/members/${NO_SUCH}`, { ...as(r, role), data: { role: "viewer" } }) },
  { name: "DELETE member", least: "admin", send: (r, role) => r.delete(`${BASE}/members/${NO_SUCH}`, as(r, role)) },
  { name: "POST invite", least: "admin", send: (r, role) => r.post(`${BASE}/invites`, { ...as(r, role), data: { email: "not an email", role: "viewer" } }) },
  { name: "DELETE invite", least: "admin", send: (r, role) => r.delete(`${BASE}/invites/${NO_SUCH}`, as(r, role)) },
  { name: "GET agent tokens", least: "admin", send: (r, role) => r.get(`${BASE}/clusters/prod-eu/agent-tokens`, as(r, role)) },
  { name: "POST agent token", least: "admin", send: (r, role) => r.post(`${BASE}/clusters/prod-eu/agent-tokens`, { ...as(r, role), data: { name: "" } }) },
  { name: "DELETE agent token", least: "admin", send: (r, role) => r.delete(`${BASE}/clusters/prod-eu/agent-tokens/${NO_SUCH}`, as(r, role)) },
  { name: "GET audit log", least: "admin", send: (r, role) => r.get(`${BASE}/audit`, as(r, role)) },
  { name: "GET background jobs", least: "admin", send: (r, role) => r.get(`${BASE}/jobs`, as(r, role)) },
  { name: "POST retry job", least: "admin", send: (r, role) => r.post(`${BASE}/jobs/${NO_SUCH}/retry`, { ...as(r, role), data: {} }) },
  { name: "GET Alertmanager receiver tokens", least: "admin", send: (r, role) => r.get(`${BASE}/alertmanager/tokens`, as(r, role)) },
  { name: "POST Alertmanager receiver token", least: "admin", send: (r, role) => r.post(`${BASE}/alertmanager/tokens`, { ...as(r, role), data: { name: "" } }) },
  { name: "DELETE Alertmanager receiver token", least: "admin", send: (r, role) => r.delete(`${BASE}/alertmanager/tokens/${NO_SUCH}`, as(r, role)) },
  { name: "GET unmatched alerts", least: "admin", send: (r, role) => r.get(`${BASE}/alertmanager/unmatched`, as(r, role)) },
  { name: "GET notification channels", least: "admin", send: (r, role) => r.get(`${BASE}/notifications/channels`, as(r, role)) },
  { name: "POST notification channel", least: "admin", send: (r, role) => r.post(`${BASE}/notifications/channels`, { ...as(r, role), data: { name: "", kind: "slack", url: "" } }) },
  { name: "PATCH notification channel", least: "admin", send: (r, role) => r.patch(`${BASE}/notifications/channels/${NO_SUCH}`, { ...as(r, role), data: { enabled: false } }) },
  { name: "DELETE notification channel", least: "admin", send: (r, role) => r.delete(`${BASE}/notifications/channels/${NO_SUCH}`, as(r, role)) },
  { name: "POST notification test", least: "admin", send: (r, role) => r.post(`${BASE}/notifications/channels/${NO_SUCH}/test`, { ...as(r, role), data: {} }) },
  { name: "PUT alert levels", least: "admin", send: (r, role) => r.put(`${BASE}/notifications/levels`, { ...as(r, role), data: { warningPercent: 1 } }) },
  { name: "PATCH incident status", least: "member", send: (r, role) => r.patch(`${BASE}/incidents/${incidentId}`, { ...as(r, role), data: { status: "bogus" } }) },
  { name: "PATCH incident assign/snooze", least: "member", send: (r, role) => r.patch(`${BASE}/incidents/${incidentId}`, { ...as(r, role), data: { snooze: "forever", assigneeUserId: NO_SUCH } }) },
  { name: "POST incident note", least: "member", send: (r, role) => r.post(`${BASE}/incidents/${incidentId}/notes`, { ...as(r, role), data: { body: "   " } }) },
  { name: "GET share links", least: "member", send: (r, role) => r.get(`${BASE}/incidents/${incidentId}/share-links`, as(r, role)) },
  { name: "POST share link", least: "member", send: (r, role) => r.post(`${BASE}/incidents/${incidentId}/share-links`, { ...as(r, role), data: { expiresIn: "never" } }) },
  { name: "DELETE share link", least: "member", send: (r, role) => r.delete(`${BASE}/share-links/${NO_SUCH}`, as(r, role)) },
];

for (const m of MUTATIONS) {
  test(`${m.name}: refused (403) below ${m.least}, let through from ${m.least} up`, async ({ request }) => {
    for (const role of ROLES) {
      const status = (await m.send(request, role)).status();
      if (ROLES.indexOf(role) < ROLES.indexOf(m.least)) expect(status, role).toBe(403);
      else expect([401, 403], `${role} got ${status}`).not.toContain(status);
    }
  });
}

test("the add-cluster page offers its form to admins and owners only", async ({ browser, baseURL }) => {
  for (const role of ROLES) {
    const context = await browser.newContext();
    const [name, value] = cookies[role]!.split(/=(.*)/s) as [string, string];
    await context.addCookies([{ name, value, url: baseURL! }]);
    const page = await context.newPage();
    if (ROLES.indexOf(role) < ROLES.indexOf("admin")) {
      await page.goto("/acme/clusters/new");
      await expect(page.getByText("Admins add clusters")).toBeVisible();
      await expect(page.getByRole("button", { name: /add cluster/i })).toHaveCount(0);
    } else {
      await page.goto("/acme/clusters/new");
      await expect(page.getByRole("button", { name: /add cluster/i })).toBeVisible();
    }
    await context.close();
  }
});

test("a state-changing request from another site is refused even with the owner's session", async ({ request, baseURL }) => {
  const evil = await request.post(`${BASE}/clusters/prod-eu/sync`, { headers: { cookie: cookies.owner!, origin: "https://evil.example" } });
  expect(evil.status()).toBe(403);
  expect((await evil.json()).error).toMatch(/cross-site request refused/);
  const crossSite = await request.post(`${BASE}/clusters`, { headers: { cookie: cookies.owner!, "sec-fetch-site": "cross-site" }, data: { name: "evil" } });
  expect(crossSite.status()).toBe(403);
  // a cross-site form can POST text/plain without a preflight: mutations accept JSON only
  const plain = await request.post(`${BASE}/clusters`, { headers: { cookie: cookies.owner!, "content-type": "text/plain" }, data: JSON.stringify({ name: "from-a-form" }) });
  expect(plain.status()).toBe(403);
  expect((await plain.json()).error).toMatch(/Content-Type: application\/json/);
  const same = await request.post(`${BASE}/clusters/prod-eu/sync`, { headers: { cookie: cookies.owner!, origin: new URL(baseURL!).origin }, data: {} });
  expect(same.status()).not.toBe(403);
});
