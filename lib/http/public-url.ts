/** The app's public URL from NEXTAUTH_URL (origin and path, no trailing slash); null when unset or not http(s). */
export function configuredPublicUrl(env: Record<string, string | undefined> = process.env): string | null {
  try {
    const u = new URL(env.NEXTAUTH_URL ?? "");
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    return u.origin + u.pathname.replace(/\/+$/, "");
  } catch {
    return null;
  }
}

/** The app's public origin for links it hands out: NEXTAUTH_URL when set (behind a proxy), else the request's own origin. */
export const publicBaseUrl = (req: Request) => configuredPublicUrl() ?? new URL(req.url).origin;

/** The public URL for pages that show it (the redirect URI to register); "" when NEXTAUTH_URL is unset. */
export const publicUrlFromEnv = () => configuredPublicUrl() ?? "";
