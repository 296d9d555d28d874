import { containerViewForRole } from "@/lib/clusters/visibility";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { getDb } from "@/db/client";
import { requireOrg } from "@/lib/auth/require-org";
import { hasRole } from "@/lib/auth/roles";
import { getContainerView } from "@/lib/container-view";
import { getCluster } from "@/lib/queries/clusters";
import { containerKey } from "@/lib/query-keys";
import { containerViewQuery } from "@/lib/schemas/lists";
import { ContainerView } from "@/components/containers/container-view";

type Params = { org: string; cluster: string; namespace: string; kind: string; name: string; container: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const p = await params;
  return { title: `${decodeURIComponent(p.name)}/${decodeURIComponent(p.container)}` };
}

export default async function ContainerPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Record<string, string>> }) {
  const p = await params;
  const { org } = await requireOrg(p.org);
  const db = getDb();
  const path = { cluster: decodeURIComponent(p.cluster), namespace: decodeURIComponent(p.namespace), kind: p.kind, name: decodeURIComponent(p.name), container: decodeURIComponent(p.container) };
  const parsed = containerViewQuery.safeParse(await searchParams);
  const initial = parsed.success ? parsed.data : containerViewQuery.parse({});
  const now = new Date();
  const cluster = await getCluster(db, { orgId: org.id, slug: path.cluster, now });
  if (!cluster) notFound();
  const view = await getContainerView(db, { orgId: org.id, cluster, namespace: path.namespace, kind: path.kind, name: path.name, container: path.container, now: Math.floor(now.getTime() / 1000), ...initial });
  if (!view) notFound();
  const qc = new QueryClient();
  qc.setQueryData(containerKey(p.org, path, initial), containerViewForRole(view, org.role));
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <ContainerView org={p.org} path={path} initial={initial} canShare={hasRole(org.role, "member")} />
    </HydrationBoundary>
  );
}
