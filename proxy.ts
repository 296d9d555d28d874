import { NextResponse, type NextRequest } from "next/server";

// request bodies past this are refused before any handler parses them (the ingest API has its own, larger cap)
const MAX_BODY_BYTES = 1024 * 1024;

function contentSecurityPolicy(nonce: string, dev: boolean) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React and Recharts set style attributes; styles cannot run code
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Whether the path's percent-encoding is malformed or decodes to a NUL or another control character. */
function isBadPath(pathname: string): boolean {
  try {
    return /[\u0000-\u001f\u007f]/.test(decodeURIComponent(pathname));
  } catch {
    return true;
  }
}

/**
 * Every request: a fresh CSP nonce (Next.js puts it on its own scripts), the security headers, the
 * path for sign-in's "back to where you were", no caching of API answers, and the cheap refusals
 * (malformed paths, oversized bodies) before any route runs.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (isBadPath(pathname) || isBadPath(search)) {
    return NextResponse.json({ error: "malformed URL: bad percent-encoding or a control character" }, { status: 400 });
  }
  const length = Number(request.headers.get("content-length") ?? 0);
  const limit = pathname.startsWith("/api/v1/ingest") ? 10 * MAX_BODY_BYTES : MAX_BODY_BYTES;
  if (length > limit) return NextResponse.json({ error: `request body too large (at most ${limit} bytes)` }, { status: 413 });

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV !== "production");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-headroom-path", `${pathname}${search}`.slice(0, 2000));
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("X-Frame-Options", "DENY");
  response.headers.set("Referrer-Policy", pathname.startsWith("/share/") ? "no-referrer" : "strict-origin-when-cross-origin");
  response.headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  const https = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  if (https) response.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  if (pathname.startsWith("/api/") || pathname.startsWith("/share/")) response.headers.set("Cache-Control", "no-store");
  if (pathname.startsWith("/share/")) response.headers.set("X-Robots-Tag", "noindex, nofollow");
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
