import { expect, test } from "@playwright/test";
import { LoginPage } from "./pages/dashboard";

test("connect a cluster's Prometheus: add, test the connection, save, see its workloads and a verdict", async ({ page }) => {
  test.setTimeout(120_000);
  const prometheus = process.env.E2E_PROMETHEUS_URL!;
  await new LoginPage(page).signInWithDemo();
  await page.goto("/acme/clusters");
  await page.getByRole("link", { name: "Add cluster" }).click();
  await expect(page.getByRole("heading", { name: "Add a cluster" })).toBeVisible();

  // validation speaks in words, on the field
  await page.getByLabel("Name").fill("Prod US!");
  await page.getByRole("button", { name: "Add cluster" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText(/lower-case letters, digits and dashes/);
  await page.getByLabel("Name").fill("us-east");
  await page.getByLabel("Provider").fill("AWS EKS");
  await page.getByRole("button", { name: "Add cluster" }).click();
  await expect(page).toHaveURL(/\/acme\/clusters\/us-east\/settings$/);
  await expect(page.getByRole("heading", { name: "Cluster settings" })).toBeVisible();

  // a metadata address is refused before anything is sent
  await page.getByLabel("Prometheus URL").fill("http://169.254.169.254/");
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByRole("region", { name: "Connection test" })).toContainText(/Could not connect.*link-local/s);

  await page.getByLabel("Prometheus URL").fill(prometheus);
  await page.getByLabel("Bearer token").check();
  await page.getByLabel("Token", { exact: true }).fill("e2e-token");
  await page.getByRole("button", { name: "Add header" }).click();
  await page.getByLabel("Header 1 name").fill("X-Scope-OrgID");
  await page.getByLabel("Header 1 value").fill("tenant-e2e");
  await page.getByRole("button", { name: "Test connection" }).click();
  const report = page.getByRole("region", { name: "Connection test" });
  await expect(report).toContainText(`Connected to ${prometheus}`);
  await expect(report).toContainText("8 containers with memory metrics");
  await expect(report).toContainText(/kube-state-metrics containers \(kube_pod_container_info\): \d+ series/);

  await page.getByRole("button", { name: "Save and sync" }).click();
  await expect(page.getByText(/Synced 3 workloads, 3 containers, \d+ OOMKills\./)).toBeVisible({ timeout: 60_000 });
  // the token is never shown again
  await expect(page.getByLabel("Token", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("Token", { exact: true })).toHaveAttribute("placeholder", "•••••••• (stored)");

  await page.goto("/acme/clusters/us-east");
  await expect(page.getByRole("heading", { name: "us-east" })).toBeVisible();
  const rows = page.getByRole("table").locator("tbody tr");
  await expect(rows).toHaveCount(3);
  await page.getByRole("table").getByRole("link", { name: "session-store" }).click();
  // the container page (the cluster page's verdict filter also offers "Limit too low")
  await expect(page).toHaveURL(/\/session-store\/keydb/);
  await expect(page.getByText("Limit too low", { exact: true })).toBeVisible();
  await expect(page.getByRole("img", { name: /Memory chart: working set against the 512Mi limit/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "The fix" })).toContainText("kubectl set resources deployment/session-store -n identity -c keydb");
});

test("settings of a cluster need the admin role and valid input", async ({ page }) => {
  await new LoginPage(page).signInWithDemo();
  const bad = await page.request.put("/api/v1/orgs/acme/clusters/prod-eu/settings", { data: { url: "ftp://x", auth: { kind: "bearer" } } });
  expect(bad.status()).toBe(400);
  expect(JSON.stringify(await bad.json())).toContain('"path":"url"');
  const demo = await page.request.put("/api/v1/orgs/acme/clusters/prod-eu/settings", { data: { url: "https://prometheus.example.com", auth: { kind: "none" } } });
  expect(demo.status()).toBe(409);
  const foreign = await page.request.put("/api/v1/orgs/globex/clusters/globex-prod/settings", { data: { url: "https://prometheus.example.com", auth: { kind: "none" } } });
  expect(foreign.status()).toBe(404);
});
