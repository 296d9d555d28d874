import fs from "node:fs";
import { createDb, migrateDb } from "@/db/connect";
import { seedDemo } from "@/db/seed/demo";
import { buildApp, startApp } from "../../scripts/lib/app-server";
import { createTestDatabase } from "../support/test-database";
import { seedOtherOrg } from "../support/orgs";
import { startPrometheus } from "../support/prometheus";
import { DEMO_FLEET } from "@/lib/scenarios/demo-fleet";

/** A real Postgres with the demo and a second organization, and the production build of the app serving it. */
export default async function globalSetup() {
  if (!fs.existsSync("/usr/bin/chromium")) throw new Error("Debian's chromium is missing: apt-get install -y chromium (npm test installs it when run as root)");
  const database = await createTestDatabase();
  const db = createDb(database.url, 2);
  await migrateDb(db);
  await seedDemo(db, { now: Date.now() / 1000 });
  await seedOtherOrg(db);
  await db.$client.end();
  // a real Prometheus with one cluster's cAdvisor and kube-state-metrics series (7 days, 5-minute steps)
  const now = Math.floor(Date.now() / 1000 / 300) * 300;
  const prodUs = DEMO_FLEET.find((c) => c.slug === "prod-us")!;
  const prometheus = await startPrometheus([{ ...prodUs, workloads: prodUs.workloads.filter((w) => ["catalog-api", "session-store", "auth-service"].includes(w.name)) }], { start: now - 7 * 86_400, end: now, step: 300 });
  process.env.E2E_PROMETHEUS_URL = prometheus.url;
  buildApp({ quiet: true });
  const app = await startApp({
    databaseUrl: database.url, port: Number(process.env.E2E_PORT), secret: "e2e-secret-not-for-production", quiet: true,
    env: { HEADROOM_SECRET_KEY: Buffer.alloc(32, 5).toString("base64"), HEADROOM_ALLOW_LOOPBACK: "true" },
  });
  process.env.E2E_DATABASE_URL = database.url;
  return async () => {
    await app.stop();
    await prometheus.stop();
    await database.drop();
  };
}
