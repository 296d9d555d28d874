import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createDb } from "@/db/connect";
import { pendingMigrations } from "@/db/migration-status";
import { createTestDatabase } from "../support/test-database";

describe("migrations", () => {
  it("npm run db:migrate applies what is pending to DATABASE_URL, and says when nothing is", async () => {
    const fresh = await createTestDatabase();
    const fdb = createDb(fresh.url, 1);
    try {
      const before = await pendingMigrations(fdb);
      expect(before[0]).toBe("0000_init");
      const run = () => spawnSync(path.join("node_modules", ".bin", "tsx"), ["scripts/db-migrate.ts"], { env: { ...process.env, DATABASE_URL: fresh.url }, encoding: "utf8" });
      const first = run();
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toContain(`Applied ${before.length} migration`);
      expect(await pendingMigrations(fdb)).toEqual([]);
      const again = run();
      expect(again.stdout).toContain("up to date");
    } finally {
      await fdb.$client.end();
      await fresh.drop();
    }
  });

  it("db:migrate without DATABASE_URL is an error with exit 2", () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const r = spawnSync(path.join("node_modules", ".bin", "tsx"), ["scripts/db-migrate.ts"], { env, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: DATABASE_URL is not set/);
  });
});
