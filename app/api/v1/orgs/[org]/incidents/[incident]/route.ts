import { withOrg } from "@/lib/auth/with-org";
import { readJson } from "@/lib/http/read-json";
import { setIncidentStatus } from "@/lib/incidents/status";

// PATCH /api/v1/orgs/[org]/incidents/[incident] — acknowledge, resolve or reopen `{status}` (member)
export const PATCH = withOrg<{ incident: string }>({ role: "member" }, async ({ req, db, org, actor, params }) =>
  Response.json(await setIncidentStatus(db, { orgId: org.id, incidentId: params.incident, input: await readJson(req), actor, now: new Date() })),
);
