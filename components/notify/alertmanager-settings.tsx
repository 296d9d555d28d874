"use client";
import { useQuery } from "@tanstack/react-query";
import type { UnmatchedAlert } from "@/lib/notify/alertmanager";
import type { ReceiverTokenView } from "@/lib/notify/receiver-tokens";
import { formatAgo } from "@/lib/format";
import { ApiTokenList } from "@/components/ui/api-token-list";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { fetchJson } from "@/components/ui/table";

/** The alertmanager.yml receiver that posts to Headroom with a bearer token. */
export const alertmanagerConfig = (appUrl: string, token: string) => `receivers:
  - name: headroom
    webhook_configs:
      - url: ${appUrl}/api/v1/alertmanager
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${token}
route:
  routes:
    - receiver: headroom
      continue: true
      matchers:
        - alertname=~"HighMemoryUsage|HeadroomMemory.*|KubePodCrashLooping|KubeContainerOOMKilled|KubeMemoryOvercommit"`;

/** The organization's Alertmanager receiver tokens: create one (shown once, with the alertmanager.yml to paste), see last use, revoke. */
export function ReceiverTokens({ org, appUrl }: { org: string; appUrl: string }) {
  return (
    <ApiTokenList<ReceiverTokenView>
      api={`/api/v1/orgs/${encodeURIComponent(org)}/alertmanager/tokens`}
      queryKey={["alertmanager-tokens", org]}
      kind="receiver token"
      intro={
        <>
          Alertmanager posts its webhooks to <code className="font-mono break-all">{appUrl}/api/v1/alertmanager</code> with one of these tokens (as a bearer token; <code className="font-mono">/api/v1/alertmanager/&lt;token&gt;</code> works too, but a URL ends up in logs).
        </>
      }
      defaultName="alertmanager"
      setupHint="Add this receiver to alertmanager.yml:"
      setup={(token) => alertmanagerConfig(appUrl, token)}
      usedLabel="last webhook"
      testId="receiver-token"
    />
  );
}

/** Alerts that named no container Headroom knows, with the reason, so labels can be fixed. */
export function UnmatchedAlerts({ org }: { org: string }) {
  const q = useQuery({ queryKey: ["alertmanager-unmatched", org], queryFn: () => fetchJson<{ alerts: UnmatchedAlert[] }>(`/api/v1/orgs/${encodeURIComponent(org)}/alertmanager/unmatched`) });
  if (q.isPending) return <div className="p-4"><Skeleton className="h-16 w-full" /></div>;
  if (q.isError) return <ErrorState title="Could not load the unmatched alerts">{q.error.message}</ErrorState>;
  if (q.data.alerts.length === 0) return <EmptyState title="Every alert received so far matched a container.">Alerts whose labels name no known cluster, pod or container are listed here with the reason.</EmptyState>;
  return (
    <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Unmatched alerts">
      {q.data.alerts.map((a) => (
        <li key={a.id} data-testid="unmatched-alert" className="space-y-1 px-4 py-2.5 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{a.alertname}</span>
            <Badge tone={a.status === "firing" ? (a.severity === "critical" ? "critical" : "warning") : "ok"}>{a.status}</Badge>
            <span className="text-xs text-zinc-500">received {formatAgo(a.receivedAt)}</span>
          </div>
          <p className="text-xs text-amber-800 dark:text-amber-300">{a.reason}</p>
          <p className="font-mono text-xs break-all text-zinc-500">{Object.entries(a.labels).filter(([k]) => k !== "alertname").map(([k, v]) => `${k}="${v}"`).join(", ")}</p>
        </li>
      ))}
    </ul>
  );
}
