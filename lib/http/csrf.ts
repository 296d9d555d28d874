/**
 * Why a state-changing request must be refused as cross-site, or null. Browsers send `Origin` on
 * every POST/PUT/DELETE and `Sec-Fetch-Site` on every request; a request from another site's page
 * carries a foreign origin, and is refused even if the session cookie came along. Clients that are
 * not browsers send neither and are not a CSRF vector (they hold their own credentials).
 */
export function crossSiteRefusal(req: { method: string; headers: Headers; url: string }): string | null {
  if (["GET", "HEAD", "OPTIONS"].includes(req.method.toUpperCase())) return null;
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return `cross-site request refused (Sec-Fetch-Site: ${site})`;
  const origin = req.headers.get("origin");
  if (origin === null) return null;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? new URL(req.url).host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `cross-site request refused (Origin: ${origin.slice(0, 100)})`;
  }
  return originHost === host ? null : `cross-site request refused (Origin: ${origin.slice(0, 100)})`;
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/** Whether a request declares a JSON body (`Content-Type: application/json`, with or without parameters). */
export const isJsonRequest = (headers: Headers) => /^application\/json\s*(;|$)/i.test(headers.get("content-type") ?? "");

/**
 * Why a cookie-authenticated request must be refused before it runs (answered 403), or null: a
 * cross-site request, or a state-changing one whose body is not declared JSON (a cross-site form
 * can send text/plain without a preflight).
 */
export function mutationRefusal(req: { method: string; headers: Headers; url: string }): string | null {
  const crossSite = crossSiteRefusal(req);
  if (crossSite) return crossSite;
  if (BODY_METHODS.has(req.method.toUpperCase()) && !isJsonRequest(req.headers)) return "state-changing requests must send Content-Type: application/json";
  return null;
}
