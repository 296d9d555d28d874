import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/connect";
import { agentTokens, clusters } from "@/db/schema";
import { NotFoundError } from "@/lib/http/errors";
import { writeAudit, type AuditActor } from "@/lib/orgs/audit";
import { hashToken, newToken } from "@/lib/security/tokens";
import { authenticateApiToken, type ApiTokenView } from "@/lib/auth/api-tokens";
import { isUuid } from "@/lib/http/ids";

export const createAgentTokenSchema = z.object({ name: z.string().trim().min(1, "a name, e.g. the agent's namespace or cluster").max(60) });

export interface AgentTokenView extends ApiTokenView {
  /** what its agent last reported of itself */
  agentVersion: string | null;
  agentMemoryBytes: number | null;
}

const PREFIX = "hra_";

async function clusterId(db: Db, orgId: string, slug: string): Promise<string> {
  const [c] = await db.select({ id: clusters.id }).from(clusters).where(and(eq(clusters.orgId, orgId), eq(clusters.slug, slug)));
  if (!c) throw new NotFoundError("cluster");
  return c.id;
}

/** A new agent token for a cluster: returned once (`hra_` + 43 characters), stored as its SHA-256 with a short prefix to recognise it. */
export async function createAgentToken(db: Db, q: { orgId: string; cluster: string; input: unknown; actor: AuditActor }): Promise<{ id: string; token: string; prefix: string }> {
  const { name } = createAgentTokenSchema.parse(q.input);
  const cid = await clusterId(db, q.orgId, q.cluster);
  const token = `${PREFIX}${newToken()}`;
  const prefix = token.slice(0, 10);
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(agentTokens).values({ orgId: q.orgId, clusterId: cid, name, prefix, tokenHash: hashToken(token) }).returning({ id: agentTokens.id });
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: "agent_token.created", targetType: "cluster", targetId: cid, data: { tokenId: row!.id, name, prefix } });
    return { id: row!.id, token, prefix };
  });
}

/** The cluster's agent tokens, newest first (never the tokens themselves). */
export async function listAgentTokens(db: Db, q: { orgId: string; cluster: string }): Promise<AgentTokenView[]> {
  const cid = await clusterId(db, q.orgId, q.cluster);
  const rows = await db.select().from(agentTokens).where(and(eq(agentTokens.orgId, q.orgId), eq(agentTokens.clusterId, cid))).orderBy(desc(agentTokens.createdAt));
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return rows.map((r) => ({ id: r.id, name: r.name, prefix: r.prefix, createdAt: r.createdAt.toISOString(), lastUsedAt: iso(r.lastUsedAt), revokedAt: iso(r.revokedAt), agentVersion: r.agentVersion, agentMemoryBytes: r.agentMemoryBytes }));
}

/** Revokes a token of this cluster: the agent's next batch gets a 401. */
export async function revokeAgentToken(db: Db, q: { orgId: string; cluster: string; id: string; actor: AuditActor; now: Date }) {
  if (!isUuid(q.id)) throw new NotFoundError("agent token");
  const cid = await clusterId(db, q.orgId, q.cluster);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(agentTokens)
      .set({ revokedAt: q.now })
      .where(and(eq(agentTokens.id, q.id), eq(agentTokens.orgId, q.orgId), eq(agentTokens.clusterId, cid), isNull(agentTokens.revokedAt)))
      .returning({ name: agentTokens.name });
    if (!row) throw new NotFoundError("agent token");
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: "agent_token.revoked", targetType: "cluster", targetId: cid, data: { tokenId: q.id, name: row.name } });
  });
}

/** The organization and cluster a live agent token belongs to, or null; notes when it was last used (at most once a minute). */
export async function authenticateAgent(db: Db, q: { token: string; now: Date }): Promise<{ orgId: string; clusterId: string; tokenId: string } | null> {
  const row = await authenticateApiToken(db, {
    ...q, prefix: PREFIX, table: agentTokens,
    find: async (where) => (await db.select({ id: agentTokens.id, orgId: agentTokens.orgId, clusterId: agentTokens.clusterId }).from(agentTokens).where(where))[0],
  });
  return row && { orgId: row.orgId, clusterId: row.clusterId, tokenId: row.id };
}

/**
 * Keeps what an agent reports of itself with its token (its version and resident memory, shown in the
 * cluster's settings): written only when the version changes or the memory moves by more than 5%.
 */
export async function recordAgentReport(db: Db, q: { tokenId: string; version: string; memoryBytes: number | null }) {
  await db
    .update(agentTokens)
    .set({ agentVersion: q.version, agentMemoryBytes: q.memoryBytes })
    .where(and(
      eq(agentTokens.id, q.tokenId),
      sql`(${agentTokens.agentVersion} is distinct from ${q.version} or (${agentTokens.agentMemoryBytes} is null) <> (${q.memoryBytes}::bigint is null)
        or abs(${agentTokens.agentMemoryBytes} - ${q.memoryBytes}::bigint) > ${agentTokens.agentMemoryBytes} / 20)`,
    ));
}
