import { withOrg } from "@/lib/auth/with-org";
import { listUnmatchedAlerts } from "@/lib/notify/alertmanager";

// GET /api/v1/orgs/[org]/alertmanager/unmatched — received alerts that named no known container, newest first (admin)
export const GET = withOrg({ role: "admin" }, async ({ db, org }) => Response.json({ alerts: await listUnmatchedAlerts(db, { orgId: org.id }) }));
