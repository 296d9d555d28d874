import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Db } from "./connect";

/**
 * The committed migrations (db/migrations) the database has not applied yet, by tag. Drizzle's
 * migrator records each applied migration's journal timestamp in drizzle.__drizzle_migrations.
 */
export async function pendingMigrations(db: Db, folder = path.join(process.cwd(), "db", "migrations")): Promise<string[]> {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string; when: number }[] };
  const exists = await db.execute<{ t: string | null }>(sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`);
  if (!exists.rows[0]?.t) return journal.entries.map((e) => e.tag);
  const applied = await db.execute<{ last: string | null }>(sql`select max(created_at)::text as last from drizzle.__drizzle_migrations`);
  const last = Number(applied.rows[0]?.last ?? 0);
  return journal.entries.filter((e) => e.when > last).map((e) => e.tag);
}
