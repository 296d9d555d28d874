// npm run demo — database (embedded unless DATABASE_URL), migrations, the demo organization, the app.
import fs from "node:fs";
import path from "node:path";
import { seedDemo } from "@/db/seed/demo";
import { buildApp, loadSecret, loadSecretKey, startApp } from "./lib/app-server";
import { openDatabase } from "./lib/database";

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`error: PORT must be a TCP port number, got "${process.env.PORT}"`);
  process.exit(2);
}

const database = await openDatabase({ log: (m) => process.env.DEBUG && console.error(m) });
let stopping = false;
const cleanup: (() => Promise<void>)[] = [() => database.close()];
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping…");
  for (const fn of cleanup.reverse()) await fn().catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  console.log(database.embedded ? `Postgres (embedded, data in .data/pg) at ${database.url.replace(/:[^:@/]+@/, ":***@")}` : "Postgres from DATABASE_URL");
  const t0 = Date.now();
  const seeded = await seedDemo(database.db, { now: Date.now() / 1000 });
  console.log(`Demo organization "Acme": ${seeded.clusters} clusters, ${seeded.workloads} workloads; +${seeded.events} OOM events, +${seeded.incidents} incidents (${Date.now() - t0} ms)`);
  buildApp();
  // `npm run org` finds the running demo's database here while the demo runs
  if (database.embedded) {
    const file = path.join(process.cwd(), ".data", "database-url");
    fs.writeFileSync(file, database.url, { mode: 0o600 });
    cleanup.push(async () => fs.rmSync(file, { force: true }));
  }
  const app = await startApp({ databaseUrl: database.url, port, secret: loadSecret(), env: { HEADROOM_SECRET_KEY: loadSecretKey() } });
  cleanup.push(() => app.stop());
  app.child.on("exit", (code) => void shutdown(code ?? 1));
  console.log(`\n  Headroom is running at ${app.url}\n  Sign in with "Continue with the demo account". Ctrl-C stops everything.\n`);
} catch (e) {
  console.error(`error: ${(e as Error).message}`);
  await shutdown(1);
}
