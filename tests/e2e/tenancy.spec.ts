import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { eq } from "drizzle-orm";
import PgBoss from "pg-boss";
import { createDb } from "@/db/connect";
import { clusters, incidents, invites, memberships, organizations, shareLinks, users, workloads } from "@/db/schema";
import { hashToken, newToken } from "@/lib/security/tokens";
import { sessionCookie } from "../support/sessions";

// Every page and route handler under app/, found from the file tree, is called with the other
// organization's (Globex's) slugs and ids under an Acme owner's session — 404 and nothing of Globex
// in the body — and signed out — 401 or a redirect to sign-in. A new route without a case fails.

const g = { user: "", incident: "", invite: "", shareLink: "", inviteToken: newToken(), job: "" };
let acmeOwner = "";
// what must never appear in an answer to Acme: what Globex holds and the request did not name (a page may echo its own URL)
const GLOBEX_SECRETS = ["Globex", "Globex Ops", "ops@globex.example", "globex/api:1.0", "512Mi", "guest@partner.example"];

test.beforeAll(async () => {
  const db = createDb(process.env.E2E_DATABASE_URL!, 1);
  try {
    const [globex] = await db.select().from(organizations).where(eq(organizations.slug, "globex"));
    const [gUser] = await db.select({ id: memberships.userId }).from(memberships).where(eq(memberships.orgId, globex!.id));
    g.user = gUser!.id;
    const [cluster] = await db.select().from(clusters).where(eq(clusters.orgId, globex!.id));
    const [workload] = await db.select().from(workloads).where(eq(workloads.clusterId, cluster!.id));
    const now = new Date();
    const [inc] = await db
      .insert(incidents)
      .values({ orgId: globex!.id, clusterId: cluster!.id, workloadId: workload!.id, containerName: "api", status: "resolved", oomCount: 1, firstSeenAt: now, lastSeenAt: now })
      .returning();
    g.incident = inc!.id;
    const [inv] = await db.insert(invites).values({ orgId: globex!.id, kind: "invite", email: "guest@partner.example", role: "viewer", tokenHash: hashToken(g.inviteToken), expiresAt: new Date(Date.now() + 3600_000) }).returning();
    g.invite = inv!.id;
    const [link] = await db.insert(shareLinks).values({ orgId: globex!.id, incidentId: inc!.id, tokenHash: hashToken(newToken()), expiresAt: new Date(Date.now() + 3600_000) }).returning();
    g.shareLink = link!.id;
    g.job = await failedGlobexJob(globex!.id, cluster!.id);
    const [acme] = await db.select().from(organizations).where(eq(organizations.slug, "acme"));
    const [owner] = await db.insert(users).values({ email: "owner@tenancy.acme.example", name: "Tenancy Owner" }).onConflictDoUpdate({ target: users.email, set: { name: "Tenancy Owner" } }).returning();
    await db.insert(memberships).values({ orgId: acme!.id, userId: owner!.id, role: "owner" }).onConflictDoNothing();
    acmeOwner = (await sessionCookie(db, owner!.id)).cookie;
  } finally {
    await db.$client.end();
  }
});

/** A failed sync job of Globex's on the app's queue, its error naming Globex. */
async function failedGlobexJob(orgId: string, clusterId: string): Promise<string> {
  const boss = new PgBoss({ connectionString: process.env.E2E_DATABASE_URL!, max: 1, supervise: false, schedule: false });
  await boss.start();
  try {
    if (!(await boss.getQueue("cluster.sync"))) await boss.createQueue("cluster.sync");
    const id = (await boss.send("cluster.sync", { orgId, clusterId, slug: "globex-prod" }, { retryLimit: 0, startAfter: 3600 }))!;
    await boss.fail("cluster.sync", id, { message: "Globex's Prometheus refused the connection" });
    return id;
  } finally {
    await boss.stop({ graceful: false });
  }
}

type Call = { method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"; url: string; data?: unknown };
const get = (url: string): Call => ({ method: "GET", url });

/** For each file under app/: the calls that reach another organization's things, and how a signed-out call is answered. */
const CASES: Record<string, { crossOrg: () => Call[]; signedOut: "401" | "login" | "public" }> = {
  "app/(dashboard)/[org]/page.tsx": { crossOrg: () => [get("/globex")], signedOut: "login" },
  "app/(dashboard)/[org]/incidents/page.tsx": { crossOrg: () => [get("/globex/incidents")], signedOut: "login" },
  "app/(dashboard)/[org]/incidents/[incident]/page.tsx": { crossOrg: () => [get(`/acme/incidents/${g.incident}`), get(`/globex/incidents/${g.incident}`), get("/acme/incidents/not-an-id")], signedOut: "login" },
  "app/(dashboard)/[org]/clusters/page.tsx": { crossOrg: () => [get("/globex/clusters")], signedOut: "login" },
  "app/(dashboard)/[org]/cost/page.tsx": { crossOrg: () => [get("/globex/cost")], signedOut: "login" },
  "app/(dashboard)/[org]/at-risk/page.tsx": { crossOrg: () => [get("/globex/at-risk"), get("/globex/at-risk?cluster=globex-prod")], signedOut: "login" },
  "app/(dashboard)/[org]/clusters/new/page.tsx": { crossOrg: () => [get("/globex/clusters/new")], signedOut: "login" },
  "app/(dashboard)/[org]/clusters/[cluster]/page.tsx": { crossOrg: () => [get("/globex/clusters/globex-prod"), get("/acme/clusters/globex-prod")], signedOut: "login" },
  "app/(dashboard)/[org]/clusters/[cluster]/settings/page.tsx": { crossOrg: () => [get("/globex/clusters/globex-prod/settings"), get("/acme/clusters/globex-prod/settings")], signedOut: "login" },
  "app/(dashboard)/[org]/clusters/[cluster]/[namespace]/[kind]/[name]/[container]/page.tsx": {
    crossOrg: () => [get("/globex/clusters/globex-prod/secret/deployment/globex-api/api"), get("/acme/clusters/globex-prod/secret/deployment/globex-api/api")],
    signedOut: "login",
  },
  "app/(dashboard)/[org]/settings/sso/page.tsx": { crossOrg: () => [get("/globex/settings/sso")], signedOut: "login" },
  "app/(dashboard)/[org]/settings/members/page.tsx": { crossOrg: () => [get("/globex/settings/members")], signedOut: "login" },
  "app/(dashboard)/[org]/settings/audit/page.tsx": { crossOrg: () => [get("/globex/settings/audit")], signedOut: "login" },
  "app/(dashboard)/[org]/settings/jobs/page.tsx": { crossOrg: () => [get("/globex/settings/jobs")], signedOut: "login" },
  "app/(dashboard)/[org]/settings/alerts/page.tsx": { crossOrg: () => [get("/globex/settings/alerts")], signedOut: "login" },
  "app/(dashboard)/[org]/settings/notifications/page.tsx": { crossOrg: () => [get("/globex/settings/notifications")], signedOut: "login" },
  "app/api/v1/orgs/[org]/search/route.ts": { crossOrg: () => [get("/api/v1/orgs/globex/search?q=globex")], signedOut: "401" },
  "app/api/v1/orgs/[org]/overview/route.ts": { crossOrg: () => [get("/api/v1/orgs/globex/overview")], signedOut: "401" },
  "app/api/v1/orgs/[org]/clusters/[cluster]/alert-rules/route.ts": {
    crossOrg: () => [get("/api/v1/orgs/globex/clusters/globex-prod/alert-rules"), get("/api/v1/orgs/acme/clusters/globex-prod/alert-rules?format=rules")],
    signedOut: "401",
  },
  "app/api/v1/orgs/[org]/at-risk/route.ts": { crossOrg: () => [get("/api/v1/orgs/globex/at-risk"), get("/api/v1/orgs/globex/at-risk?severity=critical")], signedOut: "401" },
  "app/api/v1/orgs/[org]/incidents/route.ts": { crossOrg: () => [get("/api/v1/orgs/globex/incidents")], signedOut: "401" },
  "app/api/v1/orgs/[org]/cost/route.ts": { crossOrg: () => [get("/api/v1/orgs/globex/cost"), get("/api/v1/orgs/globex/cost?format=csv")], signedOut: "401" },
  "app/api/v1/orgs/[org]/clusters/[cluster]/pricing/route.ts": {
    crossOrg: () => [{ method: "PUT", url: "/api/v1/orgs/acme/clusters/globex-prod/pricing", data: { perGiBMonth: 1, currency: "USD" } }, { method: "PUT", url: "/api/v1/orgs/globex/clusters/globex-prod/pricing", data: { preset: "gcp-n2-us-central1" } }],
    signedOut: "401",
  },
  "app/api/v1/orgs/[org]/clusters/route.ts": { crossOrg: () => [get("/api/v1/orgs/globex/clusters"), { method: "POST", url: "/api/v1/orgs/globex/clusters", data: { name: "x" } }], signedOut: "401" },
  "app/api/v1/orgs/[org]/clusters/[cluster]/route.ts": { crossOrg: () => [get("/api/v1/orgs/globex/clusters/globex-prod"), get("/api/v1/orgs/acme/clusters/globex-prod")], signedOut: "401" },
  "app/api/v1/orgs/[org]/clusters/[cluster]/workloads/route.ts": { crossOrg: () => [get("/api/v1/orgs/globex/clusters/globex-prod/workloads"), get("/api/v1/orgs/acme/clusters/globex-prod/workloads")], signedOut: "401" },
  "app/api/v1/orgs/[org]/clusters/[cluster]/containers/[namespace]/[kind]/[name]/[container]/route.ts": {
    crossOrg: () => [get("/api/v1/orgs/globex/clusters/globex-prod/containers/secret/deployment/globex-api/api"), get("/api/v1/orgs/acme/clusters/globex-prod/containers/secret/deployment/globex-api/api")],
    signedOut: "401",
  },
  "app/api/v1/orgs/[org]/clusters/[cluster]/settings/route.ts": {
    crossOrg: () => [get("/api/v1/orgs/acme/clusters/globex-prod/settings"), { method: "PUT", url: "/api/v1/orgs/acme/clusters/globex-prod/settings", data: { url: "https://prometheus.example.com", auth: { kind: "none" } } }],
    signedOut: "401",
  },
  "app/api/v1/orgs/[org]/clusters/[cluster]/settings/test/route.ts": { crossOrg: () => [{ method: "POST", url: "/api/v1/orgs/globex/clusters/globex-prod/settings/test", data: {} }], signedOut: "401" },
  "app/api/v1/orgs/[org]/clusters/[cluster]/kubernetes/route.ts": {
    crossOrg: () => [get("/api/v1/orgs/acme/clusters/globex-prod/kubernetes"), { method: "PUT", url: "/api/v1/orgs/acme/clusters/globex-prod/kubernetes", data: { kind: "token", serverUrl: "https://k8s.example.com", token: "t" } }, { method: "DELETE", url: "/api/v1/orgs/globex/clusters/globex-prod/kubernetes" }],
    signedOut: "401",
  },
  "app/api/v1/orgs/[org]/clusters/[cluster]/kubernetes/test/route.ts": { crossOrg: () => [{ method: "POST", url: "/api/v1/orgs/globex/clusters/globex-prod/kubernetes/test", data: {} }, { method: "POST", url: "/api/v1/orgs/acme/clusters/globex-prod/kubernetes/test", data: { kind: "token", serverUrl: "https://k8s.example.com", token: "t" } }], signedOut: "401" },
  "app/api/v1/orgs/[org]/clusters/[cluster]/sync/route.ts": { crossOrg: () => [{ method: "POST", url: "/api/v1/orgs/acme/clusters/globex-prod/sync", data: {} }], signedOut: "401" },
  "app/api/v1/orgs/[org]/incidents/[incident]/route.ts": {
    crossOrg: () => [get(`/api/v1/orgs/acme/incidents/${g.incident}`), get(`/api/v1/orgs/globex/incidents/${g.incident}`), { method: "PATCH", url: `/api/v1/orgs/acme/incidents/${g.incident}`, data: { status: "acknowledged" } }, { method: "PATCH", url: `/api/v1/orgs/acme/incidents/${g.incident}`, data: { assigneeUserId: g.user } }],
    signedOut: "401",
  },
  "app/api/v1/orgs/[org]/incidents/[incident]/notes/route.ts": { crossOrg: () => [{ method: "POST", url: `/api/v1/orgs/acme/incidents/${g.incident}/notes`, data: { body: "hello Globex" } }], signedOut: "401" },
  "app/api/v1/orgs/[org]/incidents/[incident]/share-links/route.ts": {
    crossOrg: () => [get(`/api/v1/orgs/acme/incidents/${g.incident}/share-links`), { method: "POST", url: `/api/v1/orgs/acme/incidents/${g.incident}/share-links`, data: {} }],
    signedOut: "401",
  },
  "app/api/v1/orgs/[org]/share-links/[link]/route.ts": { crossOrg: () => [{ method: "DELETE", url: `/api/v1/orgs/acme/share-links/${g.shareLink}` }], signedOut: "401" },
  "app/api/v1/orgs/[org]/members/route.ts": { crossOrg: () => [get("/api/v1/orgs/globex/members")], signedOut: "401" },
  "app/api/v1/orgs/[org]/members/[user]/route.ts": {
    crossOrg: () => [{ method: "PATCH", url: `/api/v1/orgs/acme/members/${g.user}`, data: { role: "viewer" } }, { method: "DELETE", url: `/api/v1/orgs/acme/members/${g.user}` }],
    signedOut: "401",
  },
  "app/api/v1/orgs/[org]/invites/route.ts": { crossOrg: () => [{ method: "POST", url: "/api/v1/orgs/globex/invites", data: { email: "x@y.example", role: "viewer" } }], signedOut: "401" },
  "app/api/v1/orgs/[org]/invites/[invite]/route.ts": { crossOrg: () => [{ method: "DELETE", url: `/api/v1/orgs/acme/invites/${g.invite}` }], signedOut: "401" },
  "app/api/v1/orgs/[org]/clusters/[cluster]/agent-tokens/route.ts": {
    crossOrg: () => [get("/api/v1/orgs/acme/clusters/globex-prod/agent-tokens"), { method: "POST", url: "/api/v1/orgs/globex/clusters/globex-prod/agent-tokens", data: { name: "x" } }],
    signedOut: "401",
  },
  "app/api/v1/orgs/[org]/clusters/[cluster]/agent-tokens/[token]/route.ts": { crossOrg: () => [{ method: "DELETE", url: `/api/v1/orgs/acme/clusters/globex-prod/agent-tokens/${g.invite}` }], signedOut: "401" },
  // agents authenticate with their token, never a session: covered by tests/e2e/ingest.spec.ts (a token reaches only its cluster)
  // Alertmanager authenticates with an organization's receiver token, never a session: a token writes into its organization only (tests/e2e/notifications.spec.ts, tests/integration/alertmanager.test.ts)
  "app/api/v1/alertmanager/route.ts": { crossOrg: () => [], signedOut: "public" },
  "app/api/v1/alertmanager/[token]/route.ts": { crossOrg: () => [], signedOut: "public" },
  "app/api/v1/orgs/[org]/alertmanager/tokens/route.ts": { crossOrg: () => [get("/api/v1/orgs/globex/alertmanager/tokens"), { method: "POST", url: "/api/v1/orgs/globex/alertmanager/tokens", data: { name: "x" } }], signedOut: "401" },
  "app/api/v1/orgs/[org]/alertmanager/tokens/[token]/route.ts": { crossOrg: () => [{ method: "DELETE", url: `/api/v1/orgs/globex/alertmanager/tokens/${g.invite}` }, { method: "DELETE", url: `/api/v1/orgs/acme/alertmanager/tokens/${g.invite}` }], signedOut: "401" },
  "app/api/v1/orgs/[org]/notifications/channels/route.ts": {
    crossOrg: () => [get("/api/v1/orgs/globex/notifications/channels"), { method: "POST", url: "/api/v1/orgs/globex/notifications/channels", data: { name: "x", kind: "slack", url: "https://hooks.slack.com/services/x" } }],
    signedOut: "401",
  },
  "app/api/v1/orgs/[org]/notifications/channels/[channel]/route.ts": {
    crossOrg: () => [{ method: "PATCH", url: `/api/v1/orgs/acme/notifications/channels/${g.invite}`, data: { enabled: false } }, { method: "DELETE", url: `/api/v1/orgs/globex/notifications/channels/${g.invite}` }],
    signedOut: "401",
  },
  "app/api/v1/orgs/[org]/notifications/channels/[channel]/test/route.ts": { crossOrg: () => [{ method: "POST", url: `/api/v1/orgs/acme/notifications/channels/${g.invite}/test`, data: {} }], signedOut: "401" },
  "app/api/v1/orgs/[org]/notifications/levels/route.ts": { crossOrg: () => [get("/api/v1/orgs/globex/notifications/levels"), { method: "PUT", url: "/api/v1/orgs/globex/notifications/levels", data: {} }], signedOut: "401" },
  "app/api/v1/orgs/[org]/alertmanager/unmatched/route.ts": { crossOrg: () => [get("/api/v1/orgs/globex/alertmanager/unmatched")], signedOut: "401" },
  "app/api/v1/ingest/route.ts": { crossOrg: () => [], signedOut: "public" },
  "app/api/v1/orgs/[org]/audit/route.ts": { crossOrg: () => [get("/api/v1/orgs/globex/audit")], signedOut: "401" },
  "app/api/v1/orgs/[org]/jobs/route.ts": { crossOrg: () => [get("/api/v1/orgs/globex/jobs")], signedOut: "401" },
  "app/api/v1/orgs/[org]/jobs/[job]/retry/route.ts": {
    crossOrg: () => [{ method: "POST", url: `/api/v1/orgs/globex/jobs/${g.job}/retry`, data: {} }, { method: "POST", url: `/api/v1/orgs/acme/jobs/${g.job}/retry`, data: {} }],
    signedOut: "401",
  },
  "app/api/v1/orgs/[org]/sso/route.ts": { crossOrg: () => [get("/api/v1/orgs/globex/sso"), { method: "PUT", url: "/api/v1/orgs/globex/sso", data: {} }], signedOut: "401" },
  "app/api/v1/orgs/[org]/sso/enabled/route.ts": { crossOrg: () => [{ method: "PUT", url: "/api/v1/orgs/globex/sso/enabled", data: { enabled: false } }], signedOut: "401" },
  // an invitation is for its email only: accepting Globex's with Acme's session does not join Globex
  "app/api/v1/invites/accept/route.ts": { crossOrg: () => [{ method: "POST", url: "/api/v1/invites/accept", data: { token: g.inviteToken } }], signedOut: "401" },
  // public by design (no organization in the URL): checked for what they reveal below
  "app/api/auth/[...nextauth]/route.ts": { crossOrg: () => [], signedOut: "public" },
  "app/api/health/route.ts": { crossOrg: () => [], signedOut: "public" },
  "app/api/v1/share/[token]/route.ts": { crossOrg: () => [], signedOut: "public" },
  "app/api/v1/sso/lookup/route.ts": { crossOrg: () => [], signedOut: "public" },
  "app/(auth)/login/page.tsx": { crossOrg: () => [], signedOut: "public" },
  "app/(auth)/setup/[token]/page.tsx": { crossOrg: () => [], signedOut: "public" },
  "app/(auth)/invite/[token]/page.tsx": { crossOrg: () => [], signedOut: "public" },
  "app/share/[token]/page.tsx": { crossOrg: () => [], signedOut: "public" },
  "app/page.tsx": { crossOrg: () => [], signedOut: "login" },
};

function appFiles(dir = "app"): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? appFiles(p) : /^(page\.tsx|route\.ts)$/.test(e.name) ? [p] : [];
  });
}

const send = (r: APIRequestContext, c: Call, cookie?: string) =>
  r.fetch(c.url, { method: c.method, headers: cookie ? { cookie } : {}, ...(c.data !== undefined ? { data: c.data } : {}), maxRedirects: 0 });

test("every page and route under app/ has a tenancy case", () => {
  const missing = appFiles().filter((f) => !(f in CASES));
  expect(missing, "add these to CASES in tests/e2e/tenancy.spec.ts").toEqual([]);
});

test("another organization's slugs and ids answer 404 under an Acme owner's session, with nothing of it in the body", async ({ request }) => {
  for (const [file, c] of Object.entries(CASES)) {
    for (const call of c.crossOrg()) {
      const res = await send(request, call, acmeOwner);
      const body = await res.text();
      const what = `${file}: ${call.method} ${call.url}`;
      if (file.includes("invites/accept")) expect(res.status(), what).toBe(410);
      else expect(res.status(), what).toBe(404);
      // the invitation's own email is what its link shows anyway
      for (const s of GLOBEX_SECRETS.filter((x) => !(file.includes("invites/accept") && x === "guest@partner.example"))) expect(body, what).not.toContain(s);
    }
  }
  // and the Acme owner did not end up in Globex
  expect((await request.get("/api/v1/orgs/globex/overview", { headers: { cookie: acmeOwner } })).status()).toBe(404);
});

test("Acme's background jobs list none of Globex's, and Globex's failed job is still failed", async ({ request }) => {
  const res = await request.get("/api/v1/orgs/acme/jobs", { headers: { cookie: acmeOwner } });
  expect(res.status()).toBe(200);
  const body = await res.text();
  expect(body).not.toContain(g.job);
  for (const s of GLOBEX_SECRETS) expect(body).not.toContain(s);
  const boss = new PgBoss({ connectionString: process.env.E2E_DATABASE_URL!, max: 1, supervise: false, schedule: false, migrate: false });
  await boss.start();
  try {
    expect((await boss.getJobById("cluster.sync", g.job))?.state).toBe("failed");
  } finally {
    await boss.stop({ graceful: false });
  }
});

test("signed out: API routes answer 401 and pages send to sign-in", async ({ request }) => {
  for (const [file, c] of Object.entries(CASES)) {
    if (c.signedOut === "public") continue;
    const calls = c.crossOrg().length ? c.crossOrg() : [get("/")];
    for (const call of calls) {
      const res = await send(request, call);
      const what = `${file}: ${call.method} ${call.url}`;
      if (c.signedOut === "401") expect(res.status(), what).toBe(401);
      else {
        expect([302, 303, 307, 308], what).toContain(res.status());
        expect(res.headers().location, what).toMatch(/\/login(\?|$)/);
      }
    }
  }
});

test("the public routes reveal no organization's data", async ({ request }) => {
  const health = await request.get("/api/health");
  expect(await health.text()).not.toMatch(/globex|acme/i);
  const share = await request.get(`/api/v1/share/${newToken()}`);
  expect(share.status()).toBe(404);
  // an address of its own: the sign-in budget of 127.0.0.1 belongs to the sign-in tests
  const lookup = await request.post("/api/v1/sso/lookup", { headers: { "x-forwarded-for": "192.0.2.160" }, data: { login: "ops@globex.example" } });
  expect(lookup.status()).toBe(404);
  const setup = await request.get(`/setup/${newToken()}`);
  expect(await setup.text()).toContain("This setup link cannot be used");
  const invite = await request.get(`/invite/${g.inviteToken}`);
  // an unused invitation shows whom it is for and the organization's name (that is the point of the link), nothing else
  const text = await invite.text();
  expect(text).toContain("Join Globex");
  for (const s of GLOBEX_SECRETS.filter((x) => x !== "Globex" && x !== "guest@partner.example")) expect(text).not.toContain(s);
});
