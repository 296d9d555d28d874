import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "@/db/embedded";
import { assertLocalDatabase } from "./assert-local-database";

/**
 * A fresh, empty database for one test run: a throw-away database on DATABASE_URL's server when it
 * is set (local only), else a new embedded Postgres in a temporary directory.
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const external = process.env.DATABASE_URL;
  if (external) {
    assertLocalDatabase(external);
    const name = `headroom_test_${crypto.randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(external);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      drop: async () => {
        const c = new pg.Client({ connectionString: external });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = path.join(os.tmpdir(), `headroom-pg-${crypto.randomBytes(4).toString("hex")}`);
  const server = await startEmbeddedPostgres({ dataDir: dir, persistent: false });
  return { url: server.url, drop: () => server.stop() };
}
