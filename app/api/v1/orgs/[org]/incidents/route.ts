import { withOrg } from "@/lib/auth/with-org";
import { listIncidents } from "@/lib/queries/incidents";
import { listIncidentsQuery } from "@/lib/schemas/lists";

// GET /api/v1/orgs/[org]/incidents — incidents, most recent OOMKill first
export const GET = withOrg({ role: "viewer" }, async ({ db, org, searchParams }) => {
  const query = listIncidentsQuery.parse(searchParams);
  return Response.json(await listIncidents(db, { orgId: org.id, ...query }));
});
