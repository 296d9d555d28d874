/** The app's public origin for links it hands out: NEXTAUTH_URL when set (behind a proxy), else the request's own origin. */
export function publicBaseUrl(req: Request): string {
  const configured = process.env.NEXTAUTH_URL;
  if (configured) {
    try {
      const u = new URL(configured);
      return u.origin + u.pathname.replace(/\/+$/, "");
    } catch {
      /* fall through */
    }
  }
  return new URL(req.url).origin;
}

/** The public origin from NEXTAUTH_URL alone (pages that show it, e.g. the redirect URI to register); "" when unset. */
export function publicUrlFromEnv(): string {
  try {
    const u = new URL(process.env.NEXTAUTH_URL ?? "");
    return u.origin + u.pathname.replace(/\/+$/, "");
  } catch {
    return "";
  }
}
