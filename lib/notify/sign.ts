import crypto from "node:crypto";

/** The signature header's value: `v1=` + hex HMAC-SHA256 of `<timestamp>.<body>` with the channel's secret. */
export function signPayload(secret: string, timestamp: string, body: string): string {
  return `v1=${crypto.createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** The headers a signed webhook carries (timestamp in unix seconds). */
export function signedHeaders(secret: string, body: string, nowSeconds: number): Record<string, string> {
  const timestamp = String(Math.floor(nowSeconds));
  return { "X-Headroom-Timestamp": timestamp, "X-Headroom-Signature": signPayload(secret, timestamp, body) };
}

/**
 * What a receiver does (README, Notifications): recompute the HMAC over `timestamp.body`, compare in
 * constant time, and refuse a timestamp older than `toleranceSeconds` (a replayed request).
 */
export function verifySignature(q: { secret: string; body: string; timestamp: string | null; signature: string | null; nowSeconds: number; toleranceSeconds?: number }): boolean {
  if (!q.timestamp || !q.signature || !/^\d+$/.test(q.timestamp)) return false;
  if (Math.abs(q.nowSeconds - Number(q.timestamp)) > (q.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signPayload(q.secret, q.timestamp, q.body));
  const got = Buffer.from(q.signature);
  return expected.length === got.length && crypto.timingSafeEqual(expected, got);
}
