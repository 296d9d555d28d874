import { withOrg } from "@/lib/auth/with-org";
import { publicBaseUrl } from "@/lib/http/public-url";
import { readJson } from "@/lib/http/read-json";
import { createShareLink, listShareLinks } from "@/lib/share/links";

// GET /api/v1/orgs/[org]/incidents/[incident]/share-links — the incident's share links, with views (member)
export const GET = withOrg<{ incident: string }>({ role: "member" }, async ({ db, org, params }) =>
  Response.json({ links: await listShareLinks(db, { orgId: org.id, incidentId: params.incident, now: new Date() }) }),
);

// POST /api/v1/orgs/[org]/incidents/[incident]/share-links — a read-only link to a frozen snapshot; the URL is in this answer only (member)
export const POST = withOrg<{ incident: string }>({ role: "member" }, async ({ req, db, org, user, actor, params }) => {
  const link = await createShareLink(db, { orgId: org.id, incidentId: params.incident, actor, sharedBy: `${user.name} (${org.name})`, input: await readJson(req), now: new Date() });
  return Response.json({ id: link.id, url: `${publicBaseUrl(req)}/share/${link.token}`, expiresAt: link.expiresAt.toISOString() }, { status: 201 });
});
