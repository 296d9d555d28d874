import "server-only";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Db } from "@/db/connect";
import { hashToken, isTokenShaped } from "@/lib/security/tokens";

/** What the settings show of a machine token (never the token itself). */
export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The columns every table of machine tokens (agent, Alertmanager receiver) has in common. */
export interface ApiTokenTable {
  id: PgColumn;
  tokenHash: PgColumn;
  revokedAt: PgColumn;
  lastUsedAt: PgColumn;
}

/**
 * The live token row a bearer token names, or null: a token without its kind's prefix and 43 random
 * characters is not looked up; `find` reads the unrevoked row by the token's SHA-256 with the columns its
 * caller needs; then when it was last used is noted, at most once a minute (a busy agent or Alertmanager
 * does not write on every request).
 */
export async function authenticateApiToken<R extends { id: string }>(
  db: Db,
  q: { token: string; prefix: string; now: Date; table: ApiTokenTable; find: (where: ReturnType<typeof and>) => Promise<R | undefined> },
): Promise<R | null> {
  if (!q.token.startsWith(q.prefix) || !isTokenShaped(q.token.slice(q.prefix.length))) return null;
  const row = await q.find(and(eq(q.table.tokenHash, hashToken(q.token)), isNull(q.table.revokedAt)));
  if (!row) return null;
  const minuteAgo = new Date(q.now.getTime() - 60_000);
  await db.execute(sql`update ${q.table.id.table} set ${sql.identifier(q.table.lastUsedAt.name)} = ${q.now.toISOString()}
    where ${and(eq(q.table.id, row.id), or(isNull(q.table.lastUsedAt), lt(q.table.lastUsedAt, minuteAgo)))}`);
  return row;
}
