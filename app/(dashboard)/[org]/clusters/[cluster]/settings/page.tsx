import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requireOrg } from "@/lib/auth/require-org";
import { hasRole } from "@/lib/auth/roles";
import { getSettings } from "@/lib/clusters/manage";
import { formatAgo } from "@/lib/format";
import { clusterHref } from "@/lib/links";
import { Card, EmptyState, ErrorState } from "@/components/ui/card";
import { PrometheusSettingsForm } from "@/components/clusters/prometheus-settings-form";
import { AgentTokens } from "@/components/clusters/agent-tokens";
import { PricingCard } from "@/components/cost/pricing-card";
import { KubeSettingsForm } from "@/components/clusters/kube-settings-form";
import { getKubeSettings } from "@/lib/kube/direct-manage";
import { publicUrlFromEnv } from "@/lib/http/public-url";
import { AlertRulesDownload } from "@/components/clusters/alert-rules-download";

type Params = { org: string; cluster: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `${decodeURIComponent((await params).cluster)} · settings` };
}

export default async function ClusterSettingsPage({ params }: { params: Promise<Params> }) {
  const p = await params;
  const { org } = await requireOrg(p.org);
  const slug = decodeURIComponent(p.cluster);
  const [view, kube] = await Promise.all([getSettings(getDb(), { orgId: org.id, slug }), getKubeSettings(getDb(), { orgId: org.id, slug })]);
  const now = new Date().getTime();
  if (!view) notFound();
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <div>
        <p className="text-xs text-zinc-500">
          <Link href={`/${p.org}/clusters`} className="hover:underline">Clusters</Link> / <Link href={clusterHref(p.org, slug)} className="hover:underline">{slug}</Link> /
        </p>
        <h1 className="text-xl font-semibold">Cluster settings</h1>
        <p className="mt-1 text-sm text-zinc-500">
          Prometheus: {view.lastSyncAt ? <>last synced {formatAgo(view.lastSyncAt, now)}.</> : view.url ? "not synced yet." : "not connected yet."}
        </p>
      </div>
      {view.lastSyncError ? <ErrorState title="The last sync has a problem">{view.lastSyncError}</ErrorState> : null}
      {view.unreadable ? <ErrorState title="Stored credentials cannot be read">They were encrypted with another HEADROOM_SECRET_KEY. Enter them again and save.</ErrorState> : null}
      {view.metricsKind === "demo" ? (
        <Card><EmptyState title="This is a simulated demo cluster.">Its memory history comes from Headroom&apos;s scenario models. <Link href={`/${p.org}/clusters/new`} className="text-blue-700 underline dark:text-blue-400">Add a cluster</Link> to connect a real Prometheus.</EmptyState></Card>
      ) : hasRole(org.role, "admin") ? (
        <Card title="Prometheus"><PrometheusSettingsForm org={p.org} cluster={slug} initial={view} /></Card>
      ) : (
        <ErrorState title="Admins change settings">Ask an owner or admin of {org.name}.</ErrorState>
      )}
      {hasRole(org.role, "admin") && kube && view.metricsKind !== "demo" ? (
        <Card title="Kubernetes API (direct)">
          {kube.lastSyncError ? <div className="px-4 pt-4"><ErrorState title="The last read of the API server failed">{kube.lastSyncError}</ErrorState></div> : null}
          {kube.unreadable ? <div className="px-4 pt-4"><ErrorState title="The stored credential cannot be read">It was encrypted with another HEADROOM_SECRET_KEY. Enter it again and save.</ErrorState></div> : null}
          {kube.lastSyncAt ? <p className="px-4 pt-4 text-sm text-zinc-500">Last read {formatAgo(kube.lastSyncAt, now)}.</p> : null}
          <KubeSettingsForm org={p.org} cluster={slug} initial={kube} />
        </Card>
      ) : null}
      <Card title="Pricing">
        <PricingCard org={p.org} cluster={slug} initial={{ perGiBMonth: view.pricePerGibMonth, currency: view.currency }} canEdit={hasRole(org.role, "admin")} />
      </Card>
      <Card title="Alert rules for Prometheus">
        <AlertRulesDownload org={p.org} cluster={slug} />
      </Card>
      {hasRole(org.role, "admin") ? (
        <Card title="In-cluster agent"><AgentTokens org={p.org} cluster={slug} appUrl={publicUrlFromEnv() || "https://headroom.example.com"} /></Card>
      ) : null}
    </div>
  );
}
