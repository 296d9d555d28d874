/** Refuses to run tests against a database that is not on this machine (they create and drop data). */
export function assertLocalDatabase(url: string) {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  if (!["localhost", "127.0.0.1", "::1"].includes(host)) {
    throw new Error(`refusing to run tests against a non-local database (${host}); point DATABASE_URL at a local Postgres`);
  }
}
