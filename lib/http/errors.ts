import { ZodError } from "zod";

/** Thrown by handlers for a missing (or another organization's) resource: answered 404. */
export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
  }
}

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
  console.error("[api] unhandled error", e);
  return errorResponse(500, "internal error");
}
