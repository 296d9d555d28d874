import { sql, type SQLWrapper } from "drizzle-orm";

/** A timestamptz as an ISO-8601 UTC string, so server-rendered and API data have the same shape. */
export const isoTime = (col: SQLWrapper) => sql<string>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
