"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { AgentTokenView } from "@/lib/clusters/agent-tokens";
import { shellJoin } from "@/lib/analysis/shell";
import { formatAgo, formatBytes } from "@/lib/format";
import { buttonClass, inputClass, issueFor, send } from "@/components/clusters/form-bits";
import { CopyButton } from "@/components/ui/copy-button";
import { ErrorState, Skeleton } from "@/components/ui/card";
import { fetchJson } from "@/components/ui/table";
import { useAction } from "@/components/ui/use-action";

/** The commands that put the token in the agent's Secret, every word quoted for the shell. */
const secretCommand = (appUrl: string, token: string) =>
  [
    shellJoin(["kubectl", "create", "namespace", "headroom"]),
    shellJoin(["kubectl", "-n", "headroom", "create", "secret", "generic", "headroom-agent", `--from-literal=HEADROOM_URL=${appUrl}`, `--from-literal=HEADROOM_TOKEN=${token}`]),
  ].join("\n");

/** The cluster's agent tokens: create one (shown once), see when each was last used, revoke. */
export function AgentTokens({ org, cluster, appUrl }: { org: string; cluster: string; appUrl: string }) {
  const api = `/api/v1/orgs/${encodeURIComponent(org)}/clusters/${encodeURIComponent(cluster)}/agent-tokens`;
  const key = ["agent-tokens", org, { cluster }] as const;
  const q = useQuery({ queryKey: key, queryFn: () => fetchJson<{ tokens: AgentTokenView[] }>(api) });
  const [name, setName] = useState("collector");
  const [created, setCreated] = useState<string | null>(null);
  const { run: act, error } = useAction(key);
  return (
    <div className="space-y-4 p-4 text-sm">
      <p className="text-zinc-500">The in-cluster agent pushes OOMKills within seconds with one of these tokens. Each token writes into this cluster only.</p>
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
        <button type="submit" className={buttonClass.primary}>Create agent token</button>
      </form>
      {issueFor(error, "name") || error ? <p role="alert" className="text-red-600 dark:text-red-400">{issueFor(error, "name") ?? (error as Error).message}</p> : null}
      {created ? (
        <div role="status" className="space-y-2 rounded-md border border-green-200 bg-green-50 p-3 dark:border-green-900 dark:bg-green-950">
          <p className="text-xs text-green-800 dark:text-green-200">Copy it now: the token is shown only once. Put it in the agent&apos;s Secret:</p>
          <div className="flex items-center gap-2">
            <code className="min-w-0 flex-1 truncate font-mono text-xs" data-testid="agent-token">{created}</code>
            <CopyButton text={created} label="Copy token" />
          </div>
          <pre className="overflow-x-auto rounded bg-white p-2 font-mono text-xs dark:bg-zinc-900">{secretCommand(appUrl, created)}</pre>
        </div>
      ) : null}
      {q.isPending ? (
        <Skeleton className="h-6 w-full" />
      ) : q.isError ? (
        <ErrorState title="Could not load the agent tokens">{q.error.message}</ErrorState>
      ) : q.data.tokens.length ? (
        <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
          {q.data.tokens.map((t) => (
            <li key={t.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-xs">
              <span>
                <span className="font-medium">{t.name}</span> <code className="font-mono text-zinc-500">{t.prefix}…</code> · created {formatAgo(t.createdAt)} ·{" "}
                {t.revokedAt ? <span className="text-zinc-400">revoked</span> : t.lastUsedAt ? `last seen ${formatAgo(t.lastUsedAt)}` : "never used"}
                {!t.revokedAt && t.agentVersion ? ` · agent ${t.agentVersion}${t.agentMemoryBytes !== null ? ` using ${formatBytes(t.agentMemoryBytes)}` : ""}` : ""}
              </span>
              {t.revokedAt ? null : (
                <button type="button" className="text-red-700 hover:underline dark:text-red-400" onClick={() => act(() => send(`${api}/${t.id}`, "DELETE"))}>Revoke</button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-xs text-zinc-500">No agent token yet.</p>
      )}
    </div>
  );
}
