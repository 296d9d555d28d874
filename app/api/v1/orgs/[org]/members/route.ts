import { withOrg } from "@/lib/auth/with-org";
import { listMembers } from "@/lib/orgs/members";

// GET /api/v1/orgs/[org]/members — members and pending invitations (admin)
export const GET = withOrg({ role: "admin" }, async ({ db, org }) => Response.json(await listMembers(db, { orgId: org.id, now: new Date() })));
