import type { Metadata } from "next";
import Link from "next/link";
import { requireOrg } from "@/lib/auth/require-org";
import { hasRole } from "@/lib/auth/roles";
import { Card, ErrorState } from "@/components/ui/card";
import { NewClusterForm } from "@/components/clusters/new-cluster-form";

export const metadata: Metadata = { title: "Add a cluster" };

export default async function NewClusterPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { org } = await requireOrg(slug);
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <div>
        <p className="text-xs text-zinc-500"><Link href={`/${slug}/clusters`} className="hover:underline">Clusters</Link> /</p>
        <h1 className="text-xl font-semibold">Add a cluster</h1>
        <p className="mt-1 text-sm text-zinc-500">Headroom reads a cluster through its Prometheus (cAdvisor and kube-state-metrics). Name it here; connect its Prometheus on the next page.</p>
      </div>
      {hasRole(org.role, "admin") ? (
        <Card title="Cluster"><NewClusterForm org={slug} /></Card>
      ) : (
        <ErrorState title="Admins add clusters">Ask an owner or admin of {org.name} to add it, or to make you an admin.</ErrorState>
      )}
    </div>
  );
}
