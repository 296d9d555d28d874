import { gunzipSync } from "node:zlib";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { authenticateAgent } from "@/lib/clusters/agent-tokens";
import { errorResponse, responseForError } from "@/lib/http/errors";
import { IdempotencyConflictError, ingestBatch } from "@/lib/ingest/store";
import { readBodyBytes } from "@/lib/http/read-json";

const MAX_WIRE_BYTES = 10 * 1024 * 1024;
const MAX_JSON_BYTES = 32 * 1024 * 1024;

// POST /api/v1/ingest — an agent's batch (Authorization: Bearer <agent token>; gzip allowed; Idempotency-Key per batch)
export async function POST(req: NextRequest): Promise<Response> {
  try {
    const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
    const db = getDb();
    const agent = auth ? await authenticateAgent(db, { token: auth, now: new Date() }) : null;
    if (!agent) return Response.json({ error: "a valid agent token is required (Authorization: Bearer hra_…); it may have been revoked" }, { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="headroom-ingest"' } });
    if (!/^application\/json\s*(;|$)/i.test(req.headers.get("content-type") ?? "")) return errorResponse(415, "batches are JSON: Content-Type: application/json");
    const wire = await readBodyBytes(req, MAX_WIRE_BYTES);
    let raw: string;
    const encoding = (req.headers.get("content-encoding") ?? "identity").toLowerCase();
    if (encoding === "gzip") {
      try {
        raw = gunzipSync(wire, { maxOutputLength: MAX_JSON_BYTES }).toString("utf8");
      } catch (e) {
        const tooBig = (e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || /maxOutputLength|too large/i.test((e as Error).message);
        return tooBig ? errorResponse(413, `batch too large once decompressed (at most ${MAX_JSON_BYTES} bytes)`) : errorResponse(400, "the body is not valid gzip");
      }
    } else if (encoding === "identity") {
      raw = wire.toString("utf8");
    } else {
      return errorResponse(415, `unsupported Content-Encoding ${encoding.slice(0, 40)} (gzip or none)`);
    }
    if (raw.includes("\u0000") || raw.includes("\\u0000")) return errorResponse(400, "the batch contains a NUL character");
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return errorResponse(400, "the batch is not JSON");
    }
    const key = req.headers.get("idempotency-key");
    if (key !== null && !/^[\x21-\x7e]{1,200}$/.test(key)) return errorResponse(400, "Idempotency-Key must be 1 to 200 visible ASCII characters");
    const result = await ingestBatch(db, { orgId: agent.orgId, clusterId: agent.clusterId, body, raw, idempotencyKey: key, now: new Date() });
    return Response.json(result);
  } catch (e) {
    if (e instanceof IdempotencyConflictError) return errorResponse(422, e.message);
    return responseForError(e);
  }
}
