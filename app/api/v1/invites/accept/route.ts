import { z } from "zod";
import { withPublic } from "@/lib/auth/with-public";
import { readJson } from "@/lib/http/read-json";
import { redeemLink } from "@/lib/orgs/links";

// POST /api/v1/invites/accept — the signed-in user accepts an invitation addressed to their email
export const POST = withPublic({ rateLimit: "link-lookup", signedIn: true }, async ({ req, db, ip, user }) => {
  const { token } = z.object({ token: z.string().max(100) }).parse(await readJson(req));
  const r = await redeemLink(db, { token, now: new Date(), ip, signedIn: { userId: user!.id, email: user!.email } });
  return Response.json({ org: r.orgSlug });
});
