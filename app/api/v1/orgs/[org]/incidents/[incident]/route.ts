import { withOrg } from "@/lib/auth/with-org";
import { hasRole } from "@/lib/auth/roles";
import { NotFoundError } from "@/lib/http/errors";
import { readJson } from "@/lib/http/read-json";
import { getIncidentView } from "@/lib/incidents/incident-view";
import { updateIncident } from "@/lib/incidents/status";

// GET /api/v1/orgs/[org]/incidents/[incident] — the incident page's data: header, timeline, analyses then and now, fix, related incidents
export const GET = withOrg<{ incident: string }>({ role: "viewer" }, async ({ db, org, params }) => {
  const view = await getIncidentView(db, { orgId: org.id, incidentId: params.incident, now: new Date(), canAct: hasRole(org.role, "member") });
  if (!view) throw new NotFoundError("incident");
  return Response.json(view);
});

// PATCH /api/v1/orgs/[org]/incidents/[incident] — `{status}` acknowledge/resolve/reopen, `{assigneeUserId}` assign (null: unassign),
// `{snooze: "1h"|"4h"|"24h"|"7d"}` or `{snoozeUntil}` snooze (`{snooze: null}` ends it) (member)
export const PATCH = withOrg<{ incident: string }>({ role: "member" }, async ({ req, db, org, actor, params }) =>
  Response.json(await updateIncident(db, { orgId: org.id, incidentId: params.incident, input: await readJson(req), actor, now: new Date() })),
);
