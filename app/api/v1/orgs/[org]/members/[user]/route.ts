import { withOrg } from "@/lib/auth/with-org";
import { NotFoundError } from "@/lib/http/errors";
import { readJson } from "@/lib/http/read-json";
import { changeMemberRole, removeMember } from "@/lib/orgs/members";
import { isUuid } from "@/lib/http/ids";


// PATCH /api/v1/orgs/[org]/members/[user] — change a member's role (admin; admins and owners only by an owner)
export const PATCH = withOrg<{ user: string }>({ role: "admin" }, async ({ req, db, org, actor, params }) => {
  if (!isUuid(params.user)) throw new NotFoundError("member");
  await changeMemberRole(db, { orgId: org.id, actorRole: org.role, actor, userId: params.user, input: await readJson(req) });
  return Response.json({ ok: true });
});

// DELETE /api/v1/orgs/[org]/members/[user] — remove a member; effective on their next request (admin)
export const DELETE = withOrg<{ user: string }>({ role: "admin" }, async ({ db, org, actor, params }) => {
  if (!isUuid(params.user)) throw new NotFoundError("member");
  await removeMember(db, { orgId: org.id, actorRole: org.role, actor, userId: params.user });
  return Response.json({ ok: true });
});
