import { withOrg } from "@/lib/auth/with-org";
import { searchOrg } from "@/lib/queries/search";
import { searchQuery } from "@/lib/schemas/search";

// GET /api/v1/orgs/[org]/search?q=… — clusters, namespaces, workloads, containers, images and incidents by name
export const GET = withOrg({ role: "viewer" }, async ({ db, org, searchParams }) => {
  const query = searchQuery.parse(searchParams);
  return Response.json({ q: query.q, hits: await searchOrg(db, { orgId: org.id, orgSlug: org.slug, ...query }) });
});
