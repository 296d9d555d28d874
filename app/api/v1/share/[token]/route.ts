import { withPublic } from "@/lib/auth/with-public";
import { openShareLink } from "@/lib/share/links";

const headers = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow" };

// GET /api/v1/share/[token] — the frozen snapshot behind a share link; unknown, expired and revoked alike answer 404 (public, rate-limited)
export const GET = withPublic<{ token: string }>({ rateLimit: "share-lookup" }, async ({ db, params }) => {
  const snapshot = await openShareLink(db, { token: params.token, now: new Date() });
  if (!snapshot) return Response.json({ error: "share link not found" }, { status: 404, headers });
  return Response.json(snapshot, { headers });
});
