"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatAgo } from "@/lib/format";
import type { ApiTokenView } from "@/lib/auth/api-tokens";
import { buttonClass, inputClass, issueFor, send } from "@/components/clusters/form-bits";
import { CopyButton } from "@/components/ui/copy-button";
import { ErrorState, Skeleton } from "@/components/ui/card";
import { fetchJson } from "@/components/ui/table";
import { useAction } from "@/components/ui/use-action";

/**
 * A list of machine tokens: create one (shown once, with what to paste where), see when each was last
 * used, revoke. `kind` names them ("agent token"); `setup` is the configuration that carries a new token.
 */
export function ApiTokenList<T extends ApiTokenView>(p: {
  api: string;
  queryKey: readonly unknown[];
  kind: string;
  intro: React.ReactNode;
  defaultName: string;
  /** what a fresh token is put into, and the text to paste there */
  setupHint: string;
  setup: (token: string) => string;
  /** "last seen", "last webhook" */
  usedLabel: string;
  /** more about a live token after its last use */
  details?: (t: T) => string;
  testId: string;
}) {
  const q = useQuery({ queryKey: p.queryKey, queryFn: () => fetchJson<{ tokens: T[] }>(p.api) });
  const [name, setName] = useState(p.defaultName);
  const [created, setCreated] = useState<string | null>(null);
  const { run: act, error } = useAction(p.queryKey);
  return (
    <div className="space-y-4 p-4 text-sm">
      <p className="text-zinc-500">{p.intro}</p>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => setCreated((await send<{ token: string }>(p.api, "POST", { name })).token));
        }}
      >
        <label className="space-y-1">
          <span className="block text-xs font-medium">Token name</span>
          <input aria-label="Token name" value={name} onChange={(e) => setName(e.target.value)} className={`${inputClass} w-48`} />
        </label>
        <button type="submit" className={buttonClass.primary}>Create {p.kind}</button>
      </form>
      {issueFor(error, "name") || error ? <p role="alert" className="text-red-600 dark:text-red-400">{issueFor(error, "name") ?? (error as Error).message}</p> : null}
      {created ? (
        <div role="status" className="space-y-2 rounded-md border border-green-200 bg-green-50 p-3 dark:border-green-900 dark:bg-green-950">
          <p className="text-xs text-green-800 dark:text-green-200">Copy it now: the token is shown only once. {p.setupHint}</p>
          <div className="flex items-center gap-2">
            <code className="min-w-0 flex-1 truncate font-mono text-xs" data-testid={p.testId}>{created}</code>
            <CopyButton text={created} label="Copy token" />
          </div>
          <pre className="overflow-x-auto rounded bg-white p-2 font-mono text-xs dark:bg-zinc-900">{p.setup(created)}</pre>
        </div>
      ) : null}
      {q.isPending ? (
        <Skeleton className="h-6 w-full" />
      ) : q.isError ? (
        <ErrorState title={`Could not load the ${p.kind}s`}>{q.error.message}</ErrorState>
      ) : q.data.tokens.length ? (
        <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
          {q.data.tokens.map((t) => (
            <li key={t.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-xs">
              <span>
                <span className="font-medium">{t.name}</span> <code className="font-mono text-zinc-500">{t.prefix}…</code> · created {formatAgo(t.createdAt)} ·{" "}
                {t.revokedAt ? <span className="text-zinc-400">revoked</span> : t.lastUsedAt ? `${p.usedLabel} ${formatAgo(t.lastUsedAt)}` : "never used"}
                {!t.revokedAt && p.details ? p.details(t) : ""}
              </span>
              {t.revokedAt ? null : (
                <button type="button" className="text-red-700 hover:underline dark:text-red-400" onClick={() => act(() => send(`${p.api}/${t.id}`, "DELETE"))} aria-label={`Revoke ${t.name}`}>Revoke</button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-xs text-zinc-500">No {p.kind} yet.</p>
      )}
    </div>
  );
}
