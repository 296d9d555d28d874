import { withOrg } from "@/lib/auth/with-org";
import { anchoredNow } from "@/lib/incidents/analyze";
import { listIncidentsWithVerdicts } from "@/lib/incidents/list-verdicts";
import { listIncidentsQuery } from "@/lib/schemas/lists";

// GET /api/v1/orgs/[org]/incidents — incidents, most recent OOMKill first, each with its verdict (live for active ones)
export const GET = withOrg({ role: "viewer" }, async ({ db, org, searchParams }) => {
  const query = listIncidentsQuery.parse(searchParams);
  return Response.json(await listIncidentsWithVerdicts(db, { orgId: org.id, now: anchoredNow(), ...query }));
});
