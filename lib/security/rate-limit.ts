import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type pg from "pg";

/** Too many attempts: answered 429 with Retry-After. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many attempts: try again in ${retryAfterSeconds} s`);
  }
}

/** The limits, per client address (sign-in and link lookups) or per organization (connection tests, tokens). */
export const RATE_LIMITS = {
  // generous enough for an office behind one NAT address signing in after a meeting; a password-guessing rate it is not
  signin: { points: 30, duration: 60 },
  "link-lookup": { points: 30, duration: 60 },
  "share-lookup": { points: 60, duration: 60 },
  "test-connection": { points: 10, duration: 60 },
  token: { points: 20, duration: 60 },
  // per member: notes on incidents; per organization: "Sync now" (each reads a cluster's APIs in the request)
  note: { points: 30, duration: 60 },
  "sync-now": { points: 20, duration: 60 },
} as const;
export type RateLimitKind = keyof typeof RATE_LIMITS;

const limiters = new WeakMap<pg.Pool, Map<RateLimitKind, RateLimiterPostgres>>();

function limiterFor(pool: pg.Pool, kind: RateLimitKind): RateLimiterPostgres {
  let byKind = limiters.get(pool);
  if (!byKind) limiters.set(pool, (byKind = new Map()));
  let l = byKind.get(kind);
  if (!l) {
    // the table is created by the migrations: shared by every app replica, unlike process memory
    l = new RateLimiterPostgres({ storeClient: pool, tableName: "rate_limits", tableCreated: true, clearExpiredByTimeout: false, keyPrefix: kind, ...RATE_LIMITS[kind] });
    byKind.set(kind, l);
  }
  return l;
}

/** Spends one attempt of `kind` for `key` (an address or an organization id); a RateLimitedError when none is left. */
export async function consumeRateLimit(pool: pg.Pool, kind: RateLimitKind, key: string): Promise<void> {
  try {
    await limiterFor(pool, kind).consume(key.slice(0, 200) || "unknown");
  } catch (e) {
    if (e instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
    throw e;
  }
}
