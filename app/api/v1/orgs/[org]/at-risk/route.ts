import { withOrg } from "@/lib/auth/with-org";
import { clusterProblemsForRole } from "@/lib/clusters/visibility";
import { recentAtRisk } from "@/lib/at-risk/compute";
import { pageAtRisk } from "@/lib/at-risk/list";
import { anchoredNow, FRESH_WAIT_MS } from "@/lib/incidents/analyze";
import { atRiskQuery } from "@/lib/schemas/alerts";

// GET /api/v1/orgs/[org]/at-risk — containers near their limit, projected to reach it, or stalling on memory; filtered, one page
export const GET = withOrg({ role: "viewer" }, async ({ db, org, searchParams }) => {
  const query = atRiskQuery.parse(searchParams);
  // this minute's list when ready within FRESH_WAIT_MS, else the latest finished one (stale: true, dated by now)
  const report = await recentAtRisk(db, { orgId: org.id, now: anchoredNow(), waitMs: FRESH_WAIT_MS });
  return Response.json({ ...clusterProblemsForRole(pageAtRisk(report, query), org.role), stale: report.stale });
});
