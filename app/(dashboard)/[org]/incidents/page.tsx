import type { Metadata } from "next";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { getDb } from "@/db/client";
import { requireOrg } from "@/lib/auth/require-org";
import { listFilterChoices } from "@/lib/queries/clusters";
import { anchoredNow } from "@/lib/incidents/analyze";
import { listIncidentsWithVerdicts } from "@/lib/incidents/list-verdicts";
import { listAssignees } from "@/lib/incidents/status";
import { listIncidentsQuery } from "@/lib/schemas/lists";
import { queryKeys } from "@/lib/query-keys";
import { Card } from "@/components/ui/card";
import { IncidentsTable } from "@/components/incidents/incidents-table";

export const metadata: Metadata = { title: "Incidents" };

export default async function IncidentsPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string>> }) {
  const { org: slug } = await params;
  const db = getDb();
  const { org, user } = await requireOrg(slug);
  const parsed = listIncidentsQuery.safeParse(await searchParams);
  const initial = parsed.success ? parsed.data : listIncidentsQuery.parse({});
  const qc = new QueryClient();
  await qc.prefetchQuery({ queryKey: queryKeys.incidents(slug, initial), queryFn: () => listIncidentsWithVerdicts(db, { orgId: org.id, userId: user.id, now: anchoredNow(), ...initial }) });
  const [{ clusters, namespaces }, assignees] = await Promise.all([listFilterChoices(db, { orgId: org.id }), listAssignees(db, { orgId: org.id })]);
  return (
    <div className="mx-auto max-w-7xl space-y-5">
      <div>
        <h1 className="text-xl font-semibold">Incidents</h1>
        <p className="text-sm text-zinc-500">One incident per container that keeps getting OOMKilled. It resolves itself after a quiet week, or as fix verified 7 days after its limit or heap setting changed. A snoozed incident is out of Active, Open and Acknowledged until its snooze ends.</p>
      </div>
      <Card>
        <HydrationBoundary state={dehydrate(qc)}>
          <IncidentsTable org={slug} clusters={clusters} namespaces={namespaces} assignees={assignees.map((a) => ({ userId: a.userId, name: a.name }))} initial={initial} />
        </HydrationBoundary>
      </Card>
    </div>
  );
}
