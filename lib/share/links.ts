import "server-only";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusters, incidents, shareLinks, users, workloads } from "@/db/schema";
import { getContainerView } from "@/lib/container-view";
import { ConflictError } from "@/lib/clusters/errors";
import { NotFoundError } from "@/lib/http/errors";
import { writeAudit, type AuditActor } from "@/lib/orgs/audit";
import { getCluster } from "@/lib/queries/clusters";
import { createShareSchema, SHARE_EXPIRIES } from "@/lib/schemas/orgs";
import { CHART_WINDOWS } from "@/lib/schemas/lists";
import { hashToken, isTokenShaped, newToken } from "@/lib/security/tokens";
import { buildSnapshot, type ShareSnapshot } from "./snapshot";
import { isUuid } from "@/lib/http/ids";


export interface ShareLinkView {
  id: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  redacted: boolean;
  viewCount: number;
  lastViewedAt: string | null;
  createdBy: string | null;
  /** neither revoked nor expired */
  active: boolean;
}

/** Creates a share link for an incident of this organization: the token is returned once, its SHA-256 stored with a frozen snapshot. */
export async function createShareLink(db: Db, q: { orgId: string; incidentId: string; actor: AuditActor; sharedBy: string; input: unknown; now: Date }): Promise<{ id: string; token: string; expiresAt: Date }> {
  const opts = createShareSchema.parse(q.input);
  if (!isUuid(q.incidentId)) throw new NotFoundError("incident");
  const [inc] = await db
    .select({
      id: incidents.id, status: incidents.status, oomCount: incidents.oomCount, firstSeenAt: incidents.firstSeenAt, lastSeenAt: incidents.lastSeenAt,
      container: incidents.containerName, clusterSlug: clusters.slug, namespace: workloads.namespace, kind: workloads.kind, name: workloads.name,
    })
    .from(incidents)
    .innerJoin(clusters, eq(clusters.id, incidents.clusterId))
    .innerJoin(workloads, eq(workloads.id, incidents.workloadId))
    .where(and(eq(incidents.id, q.incidentId), eq(incidents.orgId, q.orgId)));
  if (!inc) throw new NotFoundError("incident");
  const cluster = await getCluster(db, { orgId: q.orgId, slug: inc.clusterSlug, now: q.now });
  if (!cluster) throw new NotFoundError("incident");
  const window = "7d";
  const view = await getContainerView(db, { orgId: q.orgId, cluster, namespace: inc.namespace, kind: inc.kind, name: inc.name, container: inc.container, now: q.now.getTime() / 1000, window });
  if (!view?.analysis) throw new ConflictError(view?.metricsError ?? "this incident has no analysis to share yet");
  const expiresAt = new Date(q.now.getTime() + SHARE_EXPIRIES[opts.expiresIn] * 1000);
  const snapshot = buildSnapshot({ ...view, analysis: view.analysis }, { status: inc.status, oomCount: inc.oomCount, firstSeenAt: inc.firstSeenAt.toISOString(), lastSeenAt: inc.lastSeenAt.toISOString() }, {
    sharedAt: q.now, expiresAt, sharedBy: q.sharedBy, redact: opts.redact, windowSeconds: CHART_WINDOWS[window],
  });
  const token = newToken();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(shareLinks)
      .values({ orgId: q.orgId, incidentId: inc.id, tokenHash: hashToken(token), createdBy: q.actor.userId, expiresAt, redacted: opts.redact, snapshot, createdAt: q.now })
      .returning({ id: shareLinks.id });
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: "share_link.created", targetType: "incident", targetId: inc.id, data: { shareLinkId: row!.id, expiresIn: opts.expiresIn, redacted: opts.redact } });
    return { id: row!.id, token, expiresAt };
  });
}

/** The share links of one incident, newest first (never their tokens). */
export async function listShareLinks(db: Db, q: { orgId: string; incidentId: string; now: Date }): Promise<ShareLinkView[]> {
  if (!isUuid(q.incidentId)) throw new NotFoundError("incident");
  const [inc] = await db.select({ id: incidents.id }).from(incidents).where(and(eq(incidents.id, q.incidentId), eq(incidents.orgId, q.orgId)));
  if (!inc) throw new NotFoundError("incident");
  const rows = await db
    .select({ id: shareLinks.id, createdAt: shareLinks.createdAt, expiresAt: shareLinks.expiresAt, revokedAt: shareLinks.revokedAt, redacted: shareLinks.redacted, viewCount: shareLinks.viewCount, lastViewedAt: shareLinks.lastViewedAt, createdBy: users.email })
    .from(shareLinks)
    .leftJoin(users, eq(users.id, shareLinks.createdBy))
    .where(and(eq(shareLinks.orgId, q.orgId), eq(shareLinks.incidentId, q.incidentId)))
    .orderBy(desc(shareLinks.createdAt));
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    expiresAt: iso(r.expiresAt),
    revokedAt: iso(r.revokedAt),
    lastViewedAt: iso(r.lastViewedAt),
    active: !r.revokedAt && (!r.expiresAt || r.expiresAt > q.now),
  }));
}

/** Revokes a share link of this organization; the link answers 404 from then on. */
export async function revokeShareLink(db: Db, q: { orgId: string; id: string; actor: AuditActor; now: Date }) {
  if (!isUuid(q.id)) throw new NotFoundError("share link");
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(shareLinks)
      .set({ revokedAt: q.now })
      .where(and(eq(shareLinks.id, q.id), eq(shareLinks.orgId, q.orgId), isNull(shareLinks.revokedAt)))
      .returning({ incidentId: shareLinks.incidentId });
    if (!row) throw new NotFoundError("share link");
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: "share_link.revoked", targetType: "incident", targetId: row.incidentId, data: { shareLinkId: q.id } });
  });
}

/**
 * The snapshot behind a token, counting the view; null for unknown, expired and revoked tokens
 * alike. Every path runs the same single indexed query, so the three cannot be told apart by timing.
 */
export async function openShareLink(db: Db, q: { token: string; now: Date }): Promise<ShareSnapshot | null> {
  // a malformed token still costs the same query as a real one
  const hash = hashToken(isTokenShaped(q.token) ? q.token : `invalid:${q.token.slice(0, 100)}`);
  const [row] = await db
    .update(shareLinks)
    .set({ viewCount: sql`${shareLinks.viewCount} + 1`, lastViewedAt: q.now })
    .where(and(eq(shareLinks.tokenHash, hash), isNull(shareLinks.revokedAt), gt(shareLinks.expiresAt, q.now)))
    .returning({ snapshot: shareLinks.snapshot });
  return (row?.snapshot as ShareSnapshot | undefined) ?? null;
}
