import type { Metadata } from "next";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { getDb } from "@/db/client";
import { requireOrg } from "@/lib/auth/require-org";
import { getCostReport } from "@/lib/cost/analyses";
import { unavailableForRole } from "@/lib/clusters/visibility";
import { anchoredNow } from "@/lib/incidents/analyze";
import { queryKeys } from "@/lib/query-keys";
import { costQuery } from "@/lib/schemas/cost";
import { CostView } from "@/components/cost/cost-view";

export const metadata: Metadata = { title: "Cost" };

export default async function CostPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string>> }) {
  const { org: slug } = await params;
  const { org } = await requireOrg(slug);
  const parsed = costQuery.safeParse(await searchParams);
  const initial = parsed.success ? parsed.data : costQuery.parse({});
  const qc = new QueryClient();
  await qc.prefetchQuery({ queryKey: queryKeys.cost(slug, initial), queryFn: async () => unavailableForRole(await getCostReport(getDb(), { orgId: org.id, now: anchoredNow(), query: initial }), org.role) });
  return (
    <div className="mx-auto max-w-7xl">
      <HydrationBoundary state={dehydrate(qc)}>
        <CostView org={slug} initial={initial} />
      </HydrationBoundary>
    </div>
  );
}
