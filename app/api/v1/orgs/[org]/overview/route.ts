import { withOrg } from "@/lib/auth/with-org";
import { listAtRisk } from "@/lib/overview";
import { anchoredNow } from "@/lib/incidents/analyze";
import { listOffendersWithVerdicts } from "@/lib/incidents/list-verdicts";
import { getOverviewCounts } from "@/lib/queries/overview";

// GET /api/v1/orgs/[org]/overview — OOMKill counts, top offenders and the containers most at risk
export const GET = withOrg({ role: "viewer" }, async ({ db, org }) => {
  const now = new Date(anchoredNow() * 1000);
  const [counts, offenders, atRisk] = await Promise.all([
    getOverviewCounts(db, { orgId: org.id, now }),
    listOffendersWithVerdicts(db, { orgId: org.id, now, limit: 10 }),
    listAtRisk(db, { orgId: org.id, now, limit: 10 }),
  ]);
  return Response.json({ counts, offenders, atRisk: atRisk.rows, atRiskUnavailable: atRisk.unavailable });
});
