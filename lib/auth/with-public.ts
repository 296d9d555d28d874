import "server-only";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import type { Db } from "@/db/connect";
import { clientIp } from "@/lib/http/client-ip";
import { mutationRefusal } from "@/lib/http/csrf";
import { errorResponse, responseForError } from "@/lib/http/errors";
import { consumeRateLimit, type RateLimitKind } from "@/lib/security/rate-limit";
import { getSessionUser, type SessionUser } from "./session";

export interface PublicContext<P> {
  req: NextRequest;
  db: Db;
  ip: string | null;
  /** the signed-in user when there is one (public routes also serve signed-out visitors) */
  user: SessionUser | null;
  params: P;
}

/**
 * Wraps a route that needs no organization (sign-in lookups, links): the same cross-site and
 * JSON-only refusals as withOrg, a rate limit per client address spent before anything else, and
 * errors answered in the one JSON shape.
 */
export function withPublic<P extends Record<string, string> = Record<string, string>>(
  opts: { rateLimit: RateLimitKind; signedIn?: boolean },
  handler: (ctx: PublicContext<P>) => Promise<Response>,
) {
  return async (req: NextRequest, route: { params: Promise<P> }): Promise<Response> => {
    try {
      const refusal = mutationRefusal(req);
      if (refusal) return errorResponse(403, refusal);
      const db = getDb();
      const ip = clientIp(req.headers);
      await consumeRateLimit(db.$client, opts.rateLimit, ip ?? "unknown");
      const user = await getSessionUser();
      if (opts.signedIn && !user) return errorResponse(401, "sign in required");
      return await handler({ req, db, ip, user, params: await route.params });
    } catch (e) {
      return responseForError(e);
    }
  };
}
