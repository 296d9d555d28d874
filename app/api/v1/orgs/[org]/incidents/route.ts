import { withOrg } from "@/lib/auth/with-org";
import { anchoredNow } from "@/lib/incidents/analyze";
import { listIncidentsWithVerdicts } from "@/lib/incidents/list-verdicts";
import { listIncidentsQuery } from "@/lib/schemas/lists";

// GET /api/v1/orgs/[org]/incidents — incidents filtered (cluster, namespace, pattern, status, assignee) and sorted, each with its verdict (live for active ones), and the count of each status
export const GET = withOrg({ role: "viewer" }, async ({ db, org, user, searchParams }) => {
  const query = listIncidentsQuery.parse(searchParams);
  return Response.json(await listIncidentsWithVerdicts(db, { orgId: org.id, userId: user.id, now: anchoredNow(), ...query }));
});
