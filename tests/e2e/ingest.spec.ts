import { gzipSync } from "node:zlib";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import { createDb } from "@/db/connect";
import { agentTokens, clusters, oomEvents, workloads } from "@/db/schema";
import { memberCookie } from "../support/sessions";

// The ingest API as an agent uses it: a per-cluster token created by an admin, gzip batches with an
// Idempotency-Key, every termination kind recorded as itself, and bad batches refused with nothing stored.

let admin = "";
const CLUSTER = "/api/v1/orgs/acme/clusters/prod-us";

test.beforeAll(async () => {
  admin = await memberCookie(process.env.E2E_DATABASE_URL!, { slug: "acme", email: "admin@ingest.acme.example", name: "Ingest Admin", role: "admin" });
});

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const termination = (over: Record<string, unknown>) => ({
  podUid: "5f1c-agent-test", pod: "ledger-5d8c9-x7k2p", namespace: "ledger", workloadKind: "Deployment", workloadName: "ledger",
  container: "app", containerKind: "main", reason: "OOMKilled", exitCode: 137, finishedAt: at(3), restartCount: 1, node: "ip-10-0-1-7", message: null, ...over,
});
const snapshotPod = (over: Record<string, unknown>) => ({ uid: "u-1", namespace: "ledger", name: "bad-snapshot-7d9f-x", workloadKind: "Deployment", workloadName: "bad-snapshot", node: null, phase: "Running", startedAt: null, ...over });
const snapshotWorkload = (container: Record<string, unknown>) => ({
  kind: "Deployment", namespace: "ledger", name: "bad-snapshot", replicas: 1,
  containers: [{ name: "app", kind: "main", image: null, command: null, args: null, env: null, requestBytes: null, limitBytes: null, memoryVolumes: [], ...container }],
});
const push = (r: APIRequestContext, token: string, body: unknown, headers: Record<string, string> = {}, gzip = true) =>
  r.post("/api/v1/ingest", {
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(gzip ? { "content-encoding": "gzip" } : {}), ...headers },
    data: gzip ? gzipSync(JSON.stringify(body)) : JSON.stringify(body),
  });

test("an agent token pushes kills: an OOMKill opens an incident, the other terminations are recorded as themselves, replays store nothing twice", async ({ request }) => {
  const created = await request.post(`${CLUSTER}/agent-tokens`, { headers: { cookie: admin }, data: { name: "collector" } });
  expect(created.status()).toBe(201);
  const { token, id } = await created.json();
  expect(token).toMatch(/^hra_[A-Za-z0-9_-]{43}$/);
  const listed = await (await request.get(`${CLUSTER}/agent-tokens`, { headers: { cookie: admin } })).json();
  expect(JSON.stringify(listed)).not.toContain(token);

  const batch = {
    agent: { version: "0.1.0", memoryBytes: 91_226_112 },
    terminations: [
      termination({}),
      termination({ reason: "Killed", exitCode: 137, finishedAt: at(20), message: "Liveness probe failed" }),
      termination({ reason: "Terminated", exitCode: 143, finishedAt: at(40) }),
      termination({ container: "migrate", containerKind: "init", reason: "Error", exitCode: 1, finishedAt: at(50) }),
      termination({ container: "", reason: "Evicted", exitCode: null, finishedAt: at(60), message: "The node was low on resource: memory." }),
    ],
  };
  const first = await push(request, token, batch, { "idempotency-key": "batch-0001" });
  expect(first.status()).toBe(200);
  expect(await first.json()).toEqual({ stored: 5, duplicates: 0, incidentsOpened: 1 });
  // the same batch again (a retry after a lost answer): nothing stored twice
  expect(await (await push(request, token, batch, { "idempotency-key": "batch-0001" })).json()).toMatchObject({ stored: 5, replayed: true });
  // resent under a new key (another agent replica): every termination recognised as already stored
  expect(await (await push(request, token, batch, { "idempotency-key": "batch-0002" })).json()).toEqual({ stored: 0, duplicates: 5, incidentsOpened: 0 });
  // the same key with another payload is refused
  const conflict = await push(request, token, { terminations: [termination({ finishedAt: at(1) })] }, { "idempotency-key": "batch-0001" });
  expect(conflict.status()).toBe(422);

  // what the agent says of itself is shown with its token
  const reported = (await (await request.get(`${CLUSTER}/agent-tokens`, { headers: { cookie: admin } })).json()) as { tokens: { id: string; agentVersion: string; agentMemoryBytes: number }[] };
  expect(reported.tokens.find((t) => t.id === id)).toMatchObject({ agentVersion: "0.1.0", agentMemoryBytes: 91_226_112 });

  const incidents = await (await request.get("/api/v1/orgs/acme/incidents?cluster=prod-us&namespace=ledger&status=all", { headers: { cookie: admin } })).json();
  expect(incidents.rows.map((i: { workloadName: string; container: string; oomCount: number }) => [i.workloadName, i.container, i.oomCount])).toEqual([["ledger", "app", 1]]);

  const db = createDb(process.env.E2E_DATABASE_URL!, 1);
  try {
    const rows = await db.select().from(oomEvents).where(eq(oomEvents.namespace, "ledger"));
    expect(rows.map((r) => `${r.containerName || "(pod)"}:${r.containerKind}:${r.reason}:${r.exitCode}`).sort()).toEqual(
      ["(pod):main:Evicted:null", "app:main:Killed:137", "app:main:OOMKilled:137", "app:main:Terminated:143", "migrate:init:Error:1"],
    );
    const [tok] = await db.select().from(agentTokens).where(eq(agentTokens.id, id));
    expect(tok!.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(tok)).not.toContain(token);
  } finally {
    await db.$client.end();
  }

  // revoked: the next batch is a 401, which the agent does not retry
  expect((await request.delete(`${CLUSTER}/agent-tokens/${id}`, { headers: { cookie: admin } })).status()).toBe(200);
  expect((await push(request, token, batch)).status()).toBe(401);
});

test("bad batches get a 4xx that says what is wrong, and nothing is stored", async ({ request }) => {
  const { token } = await (await request.post(`${CLUSTER}/agent-tokens`, { headers: { cookie: admin }, data: { name: "bad-input" } })).json();
  const cases: [unknown, number, RegExp][] = [
    [{ terminations: [termination({ namespace: "Not_A_Namespace" })] }, 400, /terminations\.0\.namespace/],
    [{ terminations: [termination({ reason: "Exploded" })] }, 400, /terminations\.0\.reason/],
    [{ terminations: [termination({ finishedAt: "yesterday" })] }, 400, /terminations\.0\.finishedAt/],
    [{ terminations: [termination({ exitCode: "137" })] }, 400, /terminations\.0\.exitCode/],
    [{ terminations: Array.from({ length: 5001 }, (_, i) => termination({ finishedAt: at(i) })) }, 400, /terminations/],
    // inventory snapshots: wrong types, bad names, too many pods — and the kills beside a bad snapshot are not stored either
    [{ snapshot: { complete: "yes" }, terminations: [termination({ workloadName: "bad-snapshot", finishedAt: at(7) })] }, 400, /snapshot\.complete/],
    [{ snapshot: { complete: true, pods: [snapshotPod({ namespace: "Not_A_Namespace" })] } }, 400, /snapshot\.pods\.0\.namespace/],
    [{ snapshot: { complete: true, workloads: [snapshotWorkload({ limitBytes: "512Mi" })] } }, 400, /snapshot\.workloads\.0\.containers\.0\.limitBytes/],
    [{ snapshot: { complete: true, workloads: [snapshotWorkload({ kind: "tmpfs" })] } }, 400, /snapshot\.workloads\.0\.containers\.0\.kind/],
    [{ snapshot: { complete: true, pods: Array.from({ length: 50_001 }, (_, i) => snapshotPod({ uid: `u-${i}` })) } }, 400, /at most 50000 pods/],
  ];
  for (const [body, status, path] of cases) {
    const res = await push(request, token, body);
    expect(res.status(), JSON.stringify(body).slice(0, 80)).toBe(status);
    expect(JSON.stringify(await res.json())).toMatch(path);
  }
  expect((await push(request, token, "{not json", {}, false)).status()).toBe(400);
  expect((await request.post("/api/v1/ingest", { headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-encoding": "gzip" }, data: "not gzip" })).status()).toBe(400);
  // a gzip bomb (40 MB of zeros in a few kilobytes) is refused once it passes the decompressed cap
  const bomb = await request.post("/api/v1/ingest", { headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-encoding": "gzip" }, data: gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20)) });
  expect(bomb.status()).toBe(413);
  expect((await push(request, "hra_" + "x".repeat(43), { terminations: [] })).status()).toBe(401);
  expect((await request.post("/api/v1/ingest", { headers: { "content-type": "application/json" }, data: {} })).status()).toBe(401);
  // a session cookie is not an agent token
  expect((await request.post("/api/v1/ingest", { headers: { cookie: admin, "content-type": "application/json" }, data: {} })).status()).toBe(401);
  const db = createDb(process.env.E2E_DATABASE_URL!, 1);
  try {
    const [c] = await db.select().from(clusters).where(eq(clusters.slug, "prod-us"));
    const rows = await db.select().from(oomEvents).where(eq(oomEvents.clusterId, c!.id));
    expect(rows.filter((r) => r.namespace === "Not_A_Namespace" || r.reason === "Exploded")).toHaveLength(0);
    expect(await db.select().from(workloads).where(and(eq(workloads.clusterId, c!.id), eq(workloads.name, "bad-snapshot")))).toHaveLength(0);
  } finally {
    await db.$client.end();
  }
});

test("a token writes only into its own cluster: another organization's cluster is out of reach", async ({ request }) => {
  const { token } = await (await request.post(`${CLUSTER}/agent-tokens`, { headers: { cookie: admin }, data: { name: "scoped" } })).json();
  // the batch names no cluster: the token decides; Globex's cluster never sees it
  const res = await push(request, token, { terminations: [termination({ namespace: "secret", workloadName: "globex-api", finishedAt: at(2) })] });
  expect(res.status()).toBe(200);
  const db = createDb(process.env.E2E_DATABASE_URL!, 1);
  try {
    const [globex] = await db.select().from(clusters).where(eq(clusters.slug, "globex-prod"));
    expect((await db.select().from(oomEvents).where(eq(oomEvents.clusterId, globex!.id))).filter((r) => r.podName === "ledger-5d8c9-x7k2p")).toHaveLength(0);
  } finally {
    await db.$client.end();
  }
});
