"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { UnmatchedAlert } from "@/lib/notify/alertmanager";
import type { ReceiverTokenView } from "@/lib/notify/receiver-tokens";
import { formatAgo } from "@/lib/format";
import { buttonClass, inputClass, issueFor, send } from "@/components/clusters/form-bits";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { fetchJson } from "@/components/ui/table";
import { useAction } from "@/components/ui/use-action";

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
  const api = `/api/v1/orgs/${encodeURIComponent(org)}/alertmanager/tokens`;
  const key = ["alertmanager-tokens", org] as const;
  const q = useQuery({ queryKey: key, queryFn: () => fetchJson<{ tokens: ReceiverTokenView[] }>(api) });
  const [name, setName] = useState("alertmanager");
  const [created, setCreated] = useState<string | null>(null);
  const { run: act, error } = useAction(key);
  return (
    <div className="space-y-4 p-4 text-sm">
      <p className="text-zinc-500">
        Alertmanager posts its webhooks to <code className="font-mono break-all">{appUrl}/api/v1/alertmanager</code> with one of these tokens (as a bearer token; <code className="font-mono">/api/v1/alertmanager/&lt;token&gt;</code> works too, but a URL ends up in logs).
      </p>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => setCreated((await send<{ token: string }>(api, "POST", { name })).token));
        }}
      >
        <label className="space-y-1">
          <span className="block text-xs font-medium">Token name</span>
          <input aria-label="Token name" value={name} onChange={(e) => setName(e.target.value)} className={`${inputClass} w-48`} />
        </label>
        <button type="submit" className={buttonClass.primary}>Create receiver token</button>
      </form>
      {issueFor(error, "name") || error ? <p role="alert" className="text-red-600 dark:text-red-400">{issueFor(error, "name") ?? (error as Error).message}</p> : null}
      {created ? (
        <div role="status" className="space-y-2 rounded-md border border-green-200 bg-green-50 p-3 dark:border-green-900 dark:bg-green-950">
          <p className="text-xs text-green-800 dark:text-green-200">Copy it now: the token is shown only once. Add this receiver to alertmanager.yml:</p>
          <div className="flex items-center gap-2">
            <code className="min-w-0 flex-1 truncate font-mono text-xs" data-testid="receiver-token">{created}</code>
            <CopyButton text={created} label="Copy token" />
          </div>
          <pre className="overflow-x-auto rounded bg-white p-2 font-mono text-xs dark:bg-zinc-900">{alertmanagerConfig(appUrl, created)}</pre>
        </div>
      ) : null}
      {q.isPending ? (
        <Skeleton className="h-6 w-full" />
      ) : q.isError ? (
        <ErrorState title="Could not load the receiver tokens">{q.error.message}</ErrorState>
      ) : q.data.tokens.length ? (
        <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
          {q.data.tokens.map((t) => (
            <li key={t.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-xs">
              <span>
                <span className="font-medium">{t.name}</span> <code className="font-mono text-zinc-500">{t.prefix}…</code> · created {formatAgo(t.createdAt)} ·{" "}
                {t.revokedAt ? <span className="text-zinc-400">revoked</span> : t.lastUsedAt ? `last webhook ${formatAgo(t.lastUsedAt)}` : "never used"}
              </span>
              {t.revokedAt ? null : (
                <button type="button" className="text-red-700 hover:underline dark:text-red-400" onClick={() => act(() => send(`${api}/${t.id}`, "DELETE"))}>Revoke</button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-xs text-zinc-500">No receiver token yet.</p>
      )}
    </div>
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
