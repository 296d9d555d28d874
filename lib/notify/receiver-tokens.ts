import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/connect";
import { alertReceiverTokens } from "@/db/schema";
import { NotFoundError } from "@/lib/http/errors";
import { isUuid } from "@/lib/http/ids";
import { writeAudit, type AuditActor } from "@/lib/orgs/audit";
import { hashToken, newToken } from "@/lib/security/tokens";
import { authenticateApiToken, type ApiTokenView } from "@/lib/auth/api-tokens";

export const createReceiverTokenSchema = z.object({ name: z.string().trim().min(1, "a name, e.g. the Alertmanager it is for").max(60) });

export type ReceiverTokenView = ApiTokenView;

const PREFIX = "hram_";

/** A new Alertmanager receiver token for the organization: returned once (`hram_` + 43 characters), stored as its SHA-256. */
export async function createReceiverToken(db: Db, q: { orgId: string; input: unknown; actor: AuditActor }): Promise<{ id: string; token: string; prefix: string }> {
  const { name } = createReceiverTokenSchema.parse(q.input);
  const token = `${PREFIX}${newToken()}`;
  const prefix = token.slice(0, 11);
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(alertReceiverTokens).values({ orgId: q.orgId, name, prefix, tokenHash: hashToken(token) }).returning({ id: alertReceiverTokens.id });
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: "alert_receiver_token.created", targetType: "organization", targetId: q.orgId, data: { tokenId: row!.id, name, prefix } });
    return { id: row!.id, token, prefix };
  });
}

/** The organization's receiver tokens, newest first (never the tokens themselves). */
export async function listReceiverTokens(db: Db, q: { orgId: string }): Promise<ReceiverTokenView[]> {
  const rows = await db.select().from(alertReceiverTokens).where(eq(alertReceiverTokens.orgId, q.orgId)).orderBy(desc(alertReceiverTokens.createdAt));
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return rows.map((r) => ({ id: r.id, name: r.name, prefix: r.prefix, createdAt: r.createdAt.toISOString(), lastUsedAt: iso(r.lastUsedAt), revokedAt: iso(r.revokedAt) }));
}

/** Revokes one of the organization's receiver tokens: Alertmanager's next webhook gets a 401. */
export async function revokeReceiverToken(db: Db, q: { orgId: string; id: string; actor: AuditActor; now: Date }) {
  if (!isUuid(q.id)) throw new NotFoundError("receiver token");
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(alertReceiverTokens)
      .set({ revokedAt: q.now })
      .where(and(eq(alertReceiverTokens.id, q.id), eq(alertReceiverTokens.orgId, q.orgId), isNull(alertReceiverTokens.revokedAt)))
      .returning({ name: alertReceiverTokens.name });
    if (!row) throw new NotFoundError("receiver token");
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: "alert_receiver_token.revoked", targetType: "organization", targetId: q.orgId, data: { tokenId: q.id, name: row.name } });
  });
}

/** The organization a live receiver token belongs to, or null; notes when it was last used (at most once a minute). */
export async function authenticateReceiver(db: Db, q: { token: string; now: Date }): Promise<{ orgId: string; tokenId: string } | null> {
  const row = await authenticateApiToken(db, {
    ...q, prefix: PREFIX, table: alertReceiverTokens,
    find: async (where) => (await db.select({ id: alertReceiverTokens.id, orgId: alertReceiverTokens.orgId }).from(alertReceiverTokens).where(where))[0],
  });
  return row && { orgId: row.orgId, tokenId: row.id };
}
