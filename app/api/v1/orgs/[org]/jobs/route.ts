import { withOrg } from "@/lib/auth/with-org";
import { listOrgJobs } from "@/lib/jobs/list";

// GET /api/v1/orgs/[org]/jobs — the organization's background jobs: counts, and failed or retrying ones, newest first (admin)
export const GET = withOrg({ role: "admin" }, async ({ db, org }) => Response.json(await listOrgJobs(db, { orgId: org.id })));
