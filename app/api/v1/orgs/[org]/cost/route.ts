import { withOrg } from "@/lib/auth/with-org";
import { unavailableForRole } from "@/lib/clusters/visibility";
import { getCostReport } from "@/lib/cost/analyses";
import { costCsv } from "@/lib/cost/csv";
import { anchoredNow } from "@/lib/incidents/analyze";
import { costQuery } from "@/lib/schemas/cost";

// GET /api/v1/orgs/[org]/cost — cost of memory requests and of every recommendation; ?format=csv: every row and the totals as CSV
export const GET = withOrg({ role: "viewer" }, async ({ db, org, searchParams }) => {
  const { format, ...rest } = searchParams;
  const query = costQuery.parse(rest);
  const csv = format === "csv";
  const report = await getCostReport(db, { orgId: org.id, now: anchoredNow(), query, all: csv });
  if (!csv) return Response.json(unavailableForRole(report, org.role));
  const day = new Date(report.now * 1000).toISOString().slice(0, 10);
  return new Response(costCsv(report), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${org.slug}-memory-cost-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
});
