import { withOrg } from "@/lib/auth/with-org";
import { consumeRateLimit } from "@/lib/security/rate-limit";
import { readJson } from "@/lib/http/read-json";
import { addIncidentNote } from "@/lib/incidents/notes";

// POST /api/v1/orgs/[org]/incidents/[incident]/notes — add a note `{body}` (1–5000 characters, trimmed) to the incident's timeline (member)
export const POST = withOrg<{ incident: string }>({ role: "member" }, async ({ req, db, org, user, actor, params }) => {
  // a script cannot bury an incident's timeline under notes: a budget per member
  await consumeRateLimit(db.$client, "note", `${org.id}:${user.id}`);
  return Response.json(await addIncidentNote(db, { orgId: org.id, incidentId: params.incident, input: await readJson(req), actor, now: new Date() }), { status: 201 });
});
