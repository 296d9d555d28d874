import "server-only";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import type { Db } from "@/db/connect";
import { clientIp } from "@/lib/http/client-ip";
import { mutationRefusal } from "@/lib/http/csrf";
import type { AuditActor } from "@/lib/orgs/audit";
import { errorResponse, responseForError } from "@/lib/http/errors";
import { getOrgMembership, type OrgMembership } from "@/lib/queries/organizations";
import { hasRole, type Role } from "./roles";
import { getSessionUser, type SessionUser } from "./session";

type Params = Record<string, string>;

export interface OrgContext<P extends Params> {
  req: NextRequest;
  db: Db;
  org: OrgMembership;
  user: SessionUser;
  params: P & { org: string };
  searchParams: Record<string, string>;
  /** who is acting and from where, for the audit log */
  actor: AuditActor;
}


/**
 * Wraps an org-scoped route handler: signed in (401), a member of the org (404, never 403, so a
 * stranger cannot learn that it exists), with at least `role` (403); a state-changing request from
 * another site is refused (403) before anything else, and so is a body that is not declared JSON (a
 * cross-site form can send text/plain without a preflight); zod errors become 400s.
 */
export function withOrg<P extends Params = Params>(
  opts: { role: Role },
  handler: (ctx: OrgContext<P>) => Promise<Response>,
) {
  return async (req: NextRequest, route: { params: Promise<P & { org: string }> }): Promise<Response> => {
    try {
      const refusal = mutationRefusal(req);
      if (refusal) return errorResponse(403, refusal);
      const user = await getSessionUser();
      if (!user) return errorResponse(401, "sign in required");
      const params = await route.params;
      const db = getDb();
      const org = await getOrgMembership(db, { slug: params.org, userId: user.id });
      if (!org) return errorResponse(404, "organization not found");
      if (!hasRole(org.role, opts.role)) return errorResponse(403, `needs the ${opts.role} role`);
      const searchParams = Object.fromEntries(req.nextUrl.searchParams.entries());
      return await handler({ req, db, org, user, params, searchParams, actor: { userId: user.id, ip: clientIp(req.headers) } });
    } catch (e) {
      return responseForError(e);
    }
  };
}
