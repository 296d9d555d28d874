import { expect, test } from "@playwright/test";
import { freePort } from "@/db/embedded";
import { startApp } from "../../scripts/lib/app-server";
import { LoginPage } from "./pages/dashboard";

// Every org-scoped route handler, with another organization's ids in each position.
const FOREIGN = [
  "/api/v1/orgs/globex/overview",
  "/api/v1/orgs/globex/clusters",
  "/api/v1/orgs/globex/clusters/globex-prod",
  "/api/v1/orgs/globex/clusters/globex-prod/workloads",
  "/api/v1/orgs/globex/incidents",
  "/api/v1/orgs/acme/clusters/globex-prod",
  "/api/v1/orgs/acme/clusters/globex-prod/workloads",
  "/api/v1/orgs/no-such-org/incidents",
  "/api/v1/orgs/globex/clusters/globex-prod/containers/secret/deployment/globex-api/api",
  "/api/v1/orgs/acme/clusters/globex-prod/containers/secret/deployment/globex-api/api",
];

test("health reports the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", db: "ok" });
});

test("health answers 503 when the database is down", async () => {
  const port = await freePort();
  const deadDb = `postgres://postgres:x@127.0.0.1:${await freePort()}/headroom`;
  const app = await startApp({ databaseUrl: deadDb, port, secret: "e2e", quiet: true, requireHealthy: false });
  try {
    const res = await fetch(`${app.url}/api/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ db: "down" });
  } finally {
    await app.stop();
  }
});

test("the API needs a session", async ({ request }) => {
  const res = await request.get("/api/v1/orgs/acme/incidents");
  expect(res.status()).toBe(401);
});

test("another organization's ids answer 404 on every route", async ({ page }) => {
  await new LoginPage(page).signInWithDemo();
  for (const path of FOREIGN) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(404);
  }
  const own = await page.request.get("/api/v1/orgs/acme/clusters/prod-eu/workloads?sort=name&dir=asc");
  expect(own.status()).toBe(200);
  const body = (await own.json()) as { total: number; rows: { name: string }[] };
  expect(body.total).toBe(15);
});

test("bad query parameters answer 400 with the field path", async ({ page }) => {
  await new LoginPage(page).signInWithDemo();
  const res = await page.request.get("/api/v1/orgs/acme/clusters/prod-eu/workloads?sort=bogus&pageSize=100000");
  expect(res.status()).toBe(400);
  const body = (await res.json()) as { issues: { path: string }[] };
  expect(body.issues.map((i) => i.path).sort()).toEqual(["pageSize", "sort"]);
  const inc = await page.request.get("/api/v1/orgs/acme/incidents?status=maybe");
  expect(inc.status()).toBe(400);
});
