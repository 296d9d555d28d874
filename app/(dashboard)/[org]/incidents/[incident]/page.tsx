import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { getDb } from "@/db/client";
import { requireOrg } from "@/lib/auth/require-org";
import { hasRole } from "@/lib/auth/roles";
import { getIncidentView } from "@/lib/incidents/incident-view";
import { queryKeys } from "@/lib/query-keys";
import { IncidentPage } from "@/components/incidents/incident-page";

export const metadata: Metadata = { title: "Incident" };

export default async function IncidentRoute({ params }: { params: Promise<{ org: string; incident: string }> }) {
  const { org: slug, incident } = await params;
  const { org, user } = await requireOrg(slug);
  const canAct = hasRole(org.role, "member");
  const view = await getIncidentView(getDb(), { orgId: org.id, incidentId: incident, now: new Date(), canAct });
  if (!view) notFound();
  const qc = new QueryClient();
  qc.setQueryData(queryKeys.incident(slug, incident), view);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <IncidentPage org={slug} id={incident} canAct={canAct} currentUserId={user.id} />
    </HydrationBoundary>
  );
}
