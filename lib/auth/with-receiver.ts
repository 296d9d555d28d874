import "server-only";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import type { Db } from "@/db/connect";
import { responseForError } from "@/lib/http/errors";
import { authenticateReceiver } from "@/lib/notify/receiver-tokens";

export interface ReceiverContext {
  req: NextRequest;
  db: Db;
  /** the organization the token writes into: never taken from the request */
  receiver: { orgId: string; tokenId: string };
}

/**
 * Wraps the Alertmanager receiver: a live organization receiver token, in the URL path (for an
 * Alertmanager that cannot send headers) or in `Authorization: Bearer hram_…` (preferred: a URL ends
 * up in logs); 401 otherwise. Alertmanager carries no cookie, so there is no cross-site request to
 * refuse and sessions are not accepted. Errors are answered in the one JSON shape, never a 500 for input.
 */
export function withReceiver<P extends Record<string, string> = Record<string, string>>(handler: (ctx: ReceiverContext) => Promise<Response>) {
  return async (req: NextRequest, route?: { params?: Promise<P> }): Promise<Response> => {
    try {
      const db = getDb();
      // a route without a [token] segment gets no params at all
      const params = ((await route?.params) ?? {}) as Record<string, string | undefined>;
      const token = params.token ?? /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
      const receiver = token ? await authenticateReceiver(db, { token, now: new Date() }) : null;
      if (!receiver) {
        return Response.json(
          { error: "a valid receiver token is required (Authorization: Bearer hram_… or /api/v1/alertmanager/hram_…); it may have been revoked" },
          { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="headroom-alertmanager"' } },
        );
      }
      return await handler({ req, db, receiver });
    } catch (e) {
      return responseForError(e);
    }
  };
}
