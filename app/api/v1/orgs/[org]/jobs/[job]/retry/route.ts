import { withOrg } from "@/lib/auth/with-org";
import { NotFoundError } from "@/lib/http/errors";
import { isUuid } from "@/lib/http/ids";
import { retryOrgJob } from "@/lib/jobs/list";
import { jobsClient } from "@/lib/jobs/server";
import { writeAudit } from "@/lib/orgs/audit";

// POST /api/v1/orgs/[org]/jobs/[job]/retry — one more attempt for a failed job of the organization (admin); another org's job is a 404
export const POST = withOrg<{ job: string }>({ role: "admin" }, async ({ db, org, actor, params }) => {
  if (!isUuid(params.job)) throw new NotFoundError("job");
  const retried = await retryOrgJob(db, jobsClient, { orgId: org.id, id: params.job });
  if (!retried) throw new NotFoundError("failed job");
  await writeAudit(db, { orgId: org.id, actor, action: "job.retry", targetType: "job", targetId: params.job, data: retried });
  return Response.json({ ok: true, ...retried });
});
