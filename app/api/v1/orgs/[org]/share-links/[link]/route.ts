import { withOrg } from "@/lib/auth/with-org";
import { revokeShareLink } from "@/lib/share/links";

// DELETE /api/v1/orgs/[org]/share-links/[link] — revoke a share link; it answers 404 from the next request (member)
export const DELETE = withOrg<{ link: string }>({ role: "member" }, async ({ db, org, actor, params }) => {
  await revokeShareLink(db, { orgId: org.id, id: params.link, actor, now: new Date() });
  return Response.json({ ok: true });
});
