import "server-only";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import type { Db } from "@/db/connect";
import { authenticateAgent } from "@/lib/clusters/agent-tokens";
import { responseForError } from "@/lib/http/errors";

export interface AgentContext {
  req: NextRequest;
  db: Db;
  /** the organization and cluster the token writes into: never taken from the request body */
  agent: { orgId: string; clusterId: string; tokenId: string };
}

/**
 * Wraps a route the in-cluster agent calls: a live agent token in `Authorization: Bearer hra_…` (401
 * otherwise, which the agent does not retry). Agents carry no cookie, so there is no cross-site
 * request to refuse; session cookies are not accepted here. Errors are answered in the one JSON shape.
 */
export function withAgent(handler: (ctx: AgentContext) => Promise<Response>) {
  return async (req: NextRequest): Promise<Response> => {
    try {
      const db = getDb();
      const token = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
      const agent = token ? await authenticateAgent(db, { token, now: new Date() }) : null;
      if (!agent) {
        return Response.json(
          { error: "a valid agent token is required (Authorization: Bearer hra_…); it may have been revoked" },
          { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="headroom-ingest"' } },
        );
      }
      return await handler({ req, db, agent });
    } catch (e) {
      return responseForError(e);
    }
  };
}
