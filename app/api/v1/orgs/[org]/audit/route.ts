import { withOrg } from "@/lib/auth/with-org";
import { listAudit } from "@/lib/orgs/audit";
import { auditQuerySchema } from "@/lib/schemas/orgs";

// GET /api/v1/orgs/[org]/audit?action=&actor=&before=&limit= — the audit log, newest first (admin)
export const GET = withOrg({ role: "admin" }, async ({ db, org, searchParams }) => Response.json(await listAudit(db, { orgId: org.id, ...auditQuerySchema.parse(searchParams) })));
