import { ZodError } from "zod";
import { ConflictError } from "@/lib/clusters/errors";
import { SettingsError } from "@/lib/clusters/prometheus-settings";
import { PrometheusError } from "@/lib/metrics/prometheus-client";
import { SecretKeyError } from "@/lib/security/secrets";
import { RateLimitedError } from "@/lib/security/rate-limit";
import { LinkError } from "@/lib/orgs/links";
import { BodyError } from "./read-json";

/** Thrown by handlers for a missing (or another organization's) resource: answered 404. */
export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
  }
}

/** An action the signed-in member's role does not allow (beyond the route's role check): answered 403. */
export class ForbiddenError extends Error {}

/** A JSON error response in the shape every route uses. */
export const errorResponse = (status: number, error: string, extra?: Record<string, unknown>) =>
  Response.json({ error, ...extra }, { status });

/** Maps a thrown error to a response: 400 with zod issue paths, 404, or a 500 that leaks nothing. */
export function responseForError(e: unknown): Response {
  if (e instanceof ZodError) {
    return errorResponse(400, "invalid request", {
      issues: e.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  if (e instanceof NotFoundError) return errorResponse(404, e.message);
  if (e instanceof BodyError) return errorResponse(e.status, e.message);
  if (e instanceof RateLimitedError) {
    return Response.json({ error: e.message }, { status: 429, headers: { "Retry-After": String(e.retryAfterSeconds) } });
  }
  if (e instanceof ForbiddenError) return errorResponse(403, e.message);
  if (e instanceof LinkError) return errorResponse(410, e.message);
  if (e instanceof SettingsError) return errorResponse(400, "invalid request", { issues: [{ path: e.path, message: e.message }] });
  if (e instanceof ConflictError) return errorResponse(409, e.message);
  // the operator has not configured the key: the server cannot store or read credentials
  if (e instanceof SecretKeyError) return errorResponse(503, e.message);
  // the cluster's Prometheus failed: a gateway problem, said in words, never a 500
  if (e instanceof PrometheusError) return errorResponse(502, e.message, { kind: e.kind });
  console.error(`[api] unhandled error: ${describeForLog(e)}`);
  return errorResponse(500, "internal error");
}

/**
 * One line for the server log: the error's class, its message without the query parameters a
 * database error carries (they can hold tokens or personal data), and its code. Never the request.
 */
export function describeForLog(e: unknown): string {
  if (!(e instanceof Error)) return typeof e;
  const message = e.message.split(/\nparams:|\bparams:/)[0]!.replace(/\s+/g, " ").slice(0, 300);
  const cause = e.cause instanceof Error ? ` (cause: ${e.cause.name}${(e.cause as { code?: string }).code ? ` ${(e.cause as { code?: string }).code}` : ""})` : "";
  return `${e.name}: ${message}${cause}`;
}
