import { expect, test } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import { createDb } from "@/db/connect";
import { clusters, organizations } from "@/db/schema";
import { FakeKube } from "../support/fake-kube";
import { memberCookie } from "../support/sessions";

// Direct mode in the browser: an admin connects a cluster's Kubernetes API with a service-account
// token (a faithful fake API server on loopback; the e2e app allows loopback), tests it, saves it, and
// the read brings the workload, its OOMKill and an incident — with no agent and no Prometheus.

const TOKEN = "sa-token-for-direct-mode";
let kube: FakeKube;
let admin = "";

test.beforeAll(async () => {
  admin = await memberCookie(process.env.E2E_DATABASE_URL!, { slug: "acme", email: "admin@direct.acme.example", name: "Direct Admin", role: "admin" });
  kube = await new FakeKube(TOKEN).start();
  const killedAt = new Date(Math.floor(Date.now() / 1000 - 600) * 1000).toISOString().replace(".000", "");
  kube.put("deployments", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "ledger", namespace: "payments", uid: "uid-ledger" }, spec: { replicas: 3, template: { spec: { volumes: [{ name: "scratch", emptyDir: { medium: "Memory" } }], containers: [{ name: "api", image: "payments/ledger:2.1", volumeMounts: [{ name: "scratch", mountPath: "/scratch" }], resources: { requests: { memory: "384Mi" }, limits: { memory: "512Mi" } } }] } } } });
  kube.putOwner("ReplicaSet", { metadata: { name: "ledger-5c8d7b9f4", namespace: "payments", uid: "uid-ledger-rs", ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "ledger", controller: true }] } });
  kube.putPod({
    metadata: { name: "ledger-5c8d7b9f4-q7m2x", namespace: "payments", uid: "uid-ledger-pod", ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "ledger-5c8d7b9f4", controller: true }] },
    spec: { nodeName: "node-7", containers: [{ name: "api", image: "payments/ledger:2.1", resources: { limits: { memory: "512Mi" } } }] },
    status: { phase: "Running", containerStatuses: [{ name: "api", restartCount: 1, state: { running: {} }, lastState: { terminated: { reason: "OOMKilled", exitCode: 137, finishedAt: killedAt, startedAt: killedAt } } }] },
  });
  kube.put("nodes", { apiVersion: "v1", kind: "Node", metadata: { name: "node-7", labels: { "node.kubernetes.io/instance-type": "m6i.large" } }, status: { allocatable: { memory: "7Gi" }, conditions: [{ type: "MemoryPressure", status: "True" }] } });
  kube.put("events", { apiVersion: "v1", kind: "Event", metadata: { name: "node-7.sysoom", namespace: "default", uid: "ev-node-7-1" }, reason: "SystemOOM", message: "System OOM encountered, victim process: ledger", count: 1, involvedObject: { kind: "Node", name: "node-7" }, lastTimestamp: killedAt });
});

test.afterAll(async () => {
  await kube?.stop();
  // the cluster this spec added leaves the demo organization as the other specs expect it
  const db = createDb(process.env.E2E_DATABASE_URL!, 1);
  try {
    const [org] = await db.select().from(organizations).where(eq(organizations.slug, "acme"));
    if (org) await db.delete(clusters).where(and(eq(clusters.orgId, org.id), eq(clusters.slug, "edge-direct")));
  } finally {
    await db.$client.end();
  }
});

test("an admin connects a cluster's Kubernetes API with a token; the read brings its workload, kill and incident", async ({ page, request, baseURL }) => {
  test.setTimeout(90_000);
  expect((await request.post("/api/v1/orgs/acme/clusters", { headers: { cookie: admin }, data: { name: "edge-direct" } })).status()).toBe(201);
  const [name, value] = admin.split(/=(.*)/s) as [string, string];
  await page.context().addCookies([{ name, value, url: baseURL! }]);
  await page.goto("/acme/clusters/edge-direct/settings");
  const card = page.getByRole("region", { name: "Kubernetes API (direct)" });

  // a kubeconfig that would run a program is refused on its field, with the reason
  await card.getByLabel("Paste a kubeconfig").check();
  await card.getByLabel("kubeconfig", { exact: true }).fill(`apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: "${kube.url}"}}]\nusers: [{name: u, user: {exec: {command: aws, args: [eks, get-token]}}}]\n`);
  await card.getByRole("button", { name: "Save connection" }).click();
  await expect(card.getByRole("alert")).toContainText("runs no program");

  // the token way: test, then save (which reads the API server at once)
  await card.getByLabel("Service-account token").check();
  await card.getByLabel("API server URL").fill(kube.url);
  await card.getByLabel("API token").fill(TOKEN);
  await card.getByRole("button", { name: "Test API access" }).click();
  await expect(card.getByRole("status").first()).toContainText("Connected — Kubernetes v1.33.2: every list can be read.");
  await card.getByRole("button", { name: "Save connection" }).click();
  await expect(page.getByText(/Read 1 workload, 1 pod and 1 node; 2 terminations \(2 new\), 1 incident opened\./)).toBeVisible({ timeout: 30_000 });
  // the token is never shown again
  await page.reload();
  await expect(page.getByText(`Reading ${kube.url}`)).toBeVisible();
  expect(await page.content()).not.toContain(TOKEN);

  // the inventory and the incident, from the API alone
  const workloads = await (await request.get("/api/v1/orgs/acme/clusters/edge-direct/workloads", { headers: { cookie: admin } })).json();
  expect(JSON.stringify(workloads)).toContain("ledger");
  const incidents = await (await request.get("/api/v1/orgs/acme/incidents?cluster=edge-direct&status=all", { headers: { cookie: admin } })).json();
  expect(incidents.rows.map((r: { workloadName: string; container: string; oomCount: number }) => [r.workloadName, r.container, r.oomCount])).toEqual([["ledger", "api", 1]]);

  // the cluster page: the nodes the API shows, with the kernel's kill no container limit explains
  await page.goto("/acme/clusters/edge-direct");
  await expect(page.getByText(/Workloads, kills and nodes come from the Kubernetes API/)).toBeVisible();
  const nodesCard = page.getByRole("region", { name: "Nodes · 1" });
  await expect(nodesCard.getByRole("row", { name: /node-7 m6i\.large 7(\.0)?\s?Gi MemoryPressure 1 0/ })).toBeVisible();
  // the container page without Prometheus: no history, but what the pod spec shows (a tmpfs counted in the limit)
  await page.goto("/acme/clusters/edge-direct/payments/deployment/ledger/api");
  const specFindings = page.getByRole("region", { name: "Findings from the pod spec" });
  await expect(specFindings).toContainText("count against the 512Mi limit; the volume has no sizeLimit");
  await page.goto("/acme/clusters/edge-direct/settings");

  // a revoked token: the next read says so in words
  kube.token = "rotated";
  await card.getByRole("button", { name: "Read now" }).click();
  await expect(card.getByRole("alert").filter({ hasText: "refused the credential (HTTP 401)" }).first()).toBeVisible();
});
