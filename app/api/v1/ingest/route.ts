import { gunzipSync } from "node:zlib";
import { withAgent } from "@/lib/auth/with-agent";
import { isJsonRequest } from "@/lib/http/csrf";
import { errorResponse } from "@/lib/http/errors";
import { IdempotencyConflictError, ingestBatch } from "@/lib/ingest/store";
import { enqueueEarlySync } from "@/lib/jobs/server";
import { recordAgentReport } from "@/lib/clusters/agent-tokens";
import { ingestBatchSchema } from "@/lib/schemas/ingest";
import { parseJsonText, readBodyBytes } from "@/lib/http/read-json";

const MAX_WIRE_BYTES = 10 * 1024 * 1024;
const MAX_JSON_BYTES = 32 * 1024 * 1024;

// POST /api/v1/ingest — an agent's batch (Authorization: Bearer <agent token>; gzip allowed; Idempotency-Key per batch)
export const POST = withAgent(async ({ req, db, agent }) => {
  if (!isJsonRequest(req.headers)) return errorResponse(415, "batches are JSON: Content-Type: application/json");
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
  const body = parseJsonText(raw);
  const key = req.headers.get("idempotency-key");
  if (key !== null && !/^[\x21-\x7e]{1,200}$/.test(key)) return errorResponse(400, "Idempotency-Key must be 1 to 200 visible ASCII characters");
  try {
    const result = await ingestBatch(db, { orgId: agent.orgId, clusterId: agent.clusterId, body, raw, idempotencyKey: key, now: new Date() });
    // the batch was valid: what the agent says of itself (version, memory) is kept with its token
    const self = ingestBatchSchema.shape.agent.safeParse((body as { agent?: unknown } | null)?.agent);
    if (self.success && self.data) await recordAgentReport(db, { tokenId: agent.tokenId, version: self.data.version, memoryBytes: self.data.memoryBytes ?? null });
    // a new incident gets its analysis from the cluster's Prometheus now, not at the next scheduled sync
    if (result.incidentsOpened > 0 && !result.replayed) void enqueueEarlySync(db, { orgId: agent.orgId, clusterId: agent.clusterId });
    return Response.json(result);
  } catch (e) {
    if (e instanceof IdempotencyConflictError) return errorResponse(422, e.message);
    throw e;
  }
});
