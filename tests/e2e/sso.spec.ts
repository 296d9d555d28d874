import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { createDb, type Db } from "@/db/connect";
import { identities, invites, memberships, organizations, orgSso, sessions, users } from "@/db/schema";
import { startIdp, type RunningIdp } from "../support/oidc-provider";

// Two organizations, each created with the documented command and signing in through its own real
// OpenID Provider (oidc-provider on loopback), driven through the providers' login forms in Chromium.
const BASE = `http://127.0.0.1:${process.env.E2E_PORT}`;
let db: Db;
let umbrellaIdp: RunningIdp;
let initechIdp: RunningIdp;
const setupUrls: Record<string, string> = {};

/** `npm run org -- create …` as an operator runs it, against the e2e database; the setup URL it printed. */
function createOrgWithTheCommand(slug: string, name: string, owner: string): string {
  const r = spawnSync(path.join("node_modules", ".bin", "tsx"), ["--conditions=react-server", "scripts/org.ts", "create", "--slug", slug, "--name", name, "--owner", owner], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL, NEXTAUTH_URL: BASE },
    encoding: "utf8",
  });
  expect(r.status, r.stderr).toBe(0);
  const url = /(http:\/\/\S+\/setup\/[A-Za-z0-9_-]{43})/.exec(r.stdout)?.[1];
  expect(url, r.stdout).toBeTruthy();
  return url!;
}

// one story in order: the organizations set up SSO before their members sign in
test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  db = createDb(process.env.E2E_DATABASE_URL!, 2);
  umbrellaIdp = await startIdp({
    redirectUri: `${BASE}/api/auth/callback/sso-umbrella`,
    accounts: {
      alice: { email: "alice@umbrella.example", verified: true },
      bob: { email: "bob@umbrella.example", verified: true },
      dave: { email: "dave@umbrella.example", verified: false },
      mallory: { email: "mallory@elsewhere.example", verified: true },
    },
  });
  initechIdp = await startIdp({
    redirectUri: `${BASE}/api/auth/callback/sso-initech`,
    accounts: { peter: { email: "peter@initech.example", verified: true }, ivan: { email: "ivan@initech.example", verified: true } },
  });
  setupUrls.umbrella = createOrgWithTheCommand("umbrella", "Umbrella", "alice@umbrella.example");
  setupUrls.initech = createOrgWithTheCommand("initech", "Initech", "peter@initech.example");
});

test.afterAll(async () => {
  await umbrellaIdp?.stop();
  await initechIdp?.stop();
  await db?.$client.end();
});

/** Signs in at the identity provider's own login form (oidc-provider's: any password). */
async function idpLogin(page: Page, login: string) {
  await page.waitForURL(/\/interaction\//);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

/** The owner's first visit: setup link → SSO settings → save → test sign-in at the IdP → switch on. */
async function setUpSso(browser: Browser, slug: string, idp: RunningIdp, domain: string, ownerLogin: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(setupUrls[slug]!);
  await page.getByRole("button", { name: "Sign in and set up single sign-on" }).click();
  await page.waitForURL(`**/${slug}/settings/sso`);
  await page.getByLabel("Issuer URL").fill(idp.issuer);
  await page.getByLabel("Client ID").fill(idp.clientId);
  await page.getByLabel("Client secret").fill(idp.clientSecret);
  await page.getByLabel("Email domains").fill(domain);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("test sign-in needed")).toBeVisible();
  await expect(page.getByRole("button", { name: "Switch on" })).toBeDisabled();
  await page.getByRole("button", { name: "Test sign-in" }).click();
  await idpLogin(page, ownerLogin);
  await page.waitForURL(new RegExp(`/${slug}/settings/sso\\?tested=1$`));
  await expect(page.getByText("Test sign-in succeeded")).toBeVisible();
  await page.getByRole("button", { name: "Switch on" }).click();
  await expect(page.getByText("Single sign-on is on")).toBeVisible();
  await context.close();
}

test("an operator's command creates an organization; its owner sets up SSO with the one-time link and their identity provider", async ({ browser, page }) => {
  await setUpSso(browser, "umbrella", umbrellaIdp, "umbrella.example", "alice");
  // the link was single use
  await page.goto(setupUrls.umbrella!);
  await expect(page.getByRole("heading", { name: "This setup link cannot be used" })).toBeVisible();
  // stored hashed and encrypted: neither the link's token nor the client secret is in the database
  const token = setupUrls.umbrella!.split("/").pop()!;
  const [org] = await db.select().from(organizations).where(eq(organizations.slug, "umbrella"));
  const links = await db.select().from(invites).where(eq(invites.orgId, org!.id));
  expect(links.map((l) => l.tokenHash)).not.toContain(token);
  expect(links[0]!.usedAt).not.toBeNull();
  const [sso] = await db.select().from(orgSso).where(eq(orgSso.orgId, org!.id));
  expect(JSON.stringify(sso)).not.toContain(umbrellaIdp.clientSecret);
  expect(sso!.enabled).toBe(true);
  // the owner's account is now keyed on the provider's issuer and subject
  const [alice] = await db.select().from(users).where(eq(users.email, "alice@umbrella.example"));
  const ids = await db.select().from(identities).where(eq(identities.userId, alice!.id));
  expect(ids.map((i) => [i.issuer, i.subject])).toEqual([[umbrellaIdp.issuer, "alice"]]);
});

test("a member signs in through their organization's provider and lands on the page first asked for; sign-out ends the session at once", async ({ page, context, request }) => {
  await page.goto("/umbrella/incidents?status=open");
  await page.waitForURL(/\/login\?callbackUrl=/);
  await page.getByLabel("Work email or organization").fill("bob@umbrella.example");
  await page.getByRole("button", { name: "Continue with SSO" }).click();
  await idpLogin(page, "bob");
  await page.waitForURL(/\/umbrella\/incidents\?status=open$/);
  await expect(page.getByRole("heading", { name: "Incidents" })).toBeVisible();
  const [bob] = await db.select().from(users).where(eq(users.email, "bob@umbrella.example"));
  const [m] = await db.select().from(memberships).where(eq(memberships.userId, bob!.id));
  expect(m!.role).toBe("member");
  // another organization's pages do not exist for him
  const other = await page.goto("/initech");
  expect(other!.status()).toBe(404);
  const acme = await page.goto("/acme/clusters");
  expect(acme!.status()).toBe(404);
  // sign out: the same cookie, replayed, no longer works (the server-side session is revoked)
  const cookie = (await context.cookies()).find((c) => c.name === "next-auth.session-token")!;
  await page.goto("/umbrella");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/login");
  const replay = await request.get("/api/v1/orgs/umbrella/overview", { headers: { cookie: `${cookie.name}=${cookie.value}` } });
  expect(replay.status()).toBe(401);
  const [s] = await db.select().from(sessions).where(eq(sessions.userId, bob!.id));
  expect(s!.revokedAt).not.toBeNull();
});

test("the second organization signs in through its own provider, by slug, and cannot reach the first", async ({ browser, page }) => {
  await setUpSso(browser, "initech", initechIdp, "initech.example", "peter");
  await page.goto("/login");
  await page.getByLabel("Work email or organization").fill("initech");
  await page.getByRole("button", { name: "Continue with SSO" }).click();
  await expect(page).toHaveURL(new RegExp(`^${initechIdp.issuer}`));
  await idpLogin(page, "ivan");
  await page.waitForURL("**/initech");
  await expect(page.getByRole("navigation", { name: "Main" })).toContainText("Initech");
  expect((await page.goto("/umbrella"))!.status()).toBe(404);
  const api = await page.request.get("/api/v1/orgs/umbrella/incidents");
  expect(api.status()).toBe(404);
  expect(await api.text()).not.toContain("Umbrella");
});

test("refused with a clear message and no session: outside the domains, unverified email, a replayed answer, the provider's error", async ({ browser }) => {
  const attempt = async (login: string) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Work email or organization").fill("umbrella");
    await page.getByRole("button", { name: "Continue with SSO" }).click();
    await idpLogin(page, login);
    await page.waitForURL(/\/login\?/);
    return { context, page };
  };
  const noSession = async (ctx: Awaited<ReturnType<typeof attempt>>) => {
    expect((await ctx.context.cookies()).some((c) => c.name === "next-auth.session-token")).toBe(false);
    expect((await ctx.page.request.get("/api/v1/orgs/umbrella/overview")).status()).toBe(401);
    await ctx.context.close();
  };
  const outside = await attempt("mallory");
  await expect(outside.page.locator('main [role="alert"]')).toContainText("not in a domain this organization signs in with");
  await noSession(outside);
  const unverified = await attempt("dave");
  await expect(unverified.page.locator('main [role="alert"]')).toContainText("did not confirm that your email address is verified");
  await noSession(unverified);
  expect(await db.select().from(users).where(eq(users.email, "mallory@elsewhere.example"))).toHaveLength(0);

  // a replayed provider answer (code + state) is refused: its state and PKCE verifier were single use
  const first = await browser.newContext();
  const page = await first.newPage();
  let callback = "";
  page.on("request", (r) => {
    if (r.url().includes("/api/auth/callback/sso-umbrella")) callback = r.url();
  });
  await page.goto("/login");
  await page.getByLabel("Work email or organization").fill("umbrella");
  await page.getByRole("button", { name: "Continue with SSO" }).click();
  await idpLogin(page, "bob");
  await page.waitForURL("**/umbrella");
  expect(callback).toContain("state=");
  const replayer = await browser.newContext();
  const replayPage = await replayer.newPage();
  await replayPage.goto(callback);
  await replayPage.waitForURL(/\/login\?/);
  await expect(replayPage.locator('main [role="alert"]')).toContainText("could not be completed");
  await noSession({ context: replayer, page: replayPage });
  await first.close();

  // the user cancels at the provider: it answers error=access_denied
  const cancel = await browser.newContext();
  const cp = await cancel.newPage();
  await cp.goto("/login");
  await cp.getByLabel("Work email or organization").fill("bob@umbrella.example");
  await cp.getByRole("button", { name: "Continue with SSO" }).click();
  await cp.waitForURL(/\/interaction\//);
  await cp.getByRole("link", { name: "[ Cancel ]" }).click();
  await cp.waitForURL(/\/login\?/);
  await expect(cp.locator('main [role="alert"]')).toContainText("could not be completed");
  await noSession({ context: cancel, page: cp });
});

test("a removed member loses access on the next request; an email domain no organization uses gets a clear answer", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Work email or organization").fill("someone@nowhere.example");
  await page.getByRole("button", { name: "Continue with SSO" }).click();
  await expect(page.locator('main [role="alert"]')).toContainText("No organization signs in with single sign-on for nowhere.example");
  await page.getByLabel("Work email or organization").fill("bob@umbrella.example");
  await page.getByRole("button", { name: "Continue with SSO" }).click();
  await idpLogin(page, "bob");
  await page.waitForURL("**/umbrella");
  expect((await page.request.get("/api/v1/orgs/umbrella/overview")).status()).toBe(200);
  const [bob] = await db.select().from(users).where(eq(users.email, "bob@umbrella.example"));
  await db.delete(memberships).where(eq(memberships.userId, bob!.id));
  expect((await page.request.get("/api/v1/orgs/umbrella/overview")).status()).toBe(404);
  expect((await page.goto("/umbrella"))!.status()).toBe(404);
});
