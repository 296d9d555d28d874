"use client";
import { useTimeFormat } from "@/components/time-zone";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ShareLinkView } from "@/lib/share/links";
import { formatAgo } from "@/lib/format";
import { buttonClass, inputClass, send } from "@/components/clusters/form-bits";
import { CopyButton } from "@/components/ui/copy-button";
import { fetchJson } from "@/components/ui/table";

const linksKey = (org: string, incident: string) => ["share-links", org, { incident }] as const;

/** Share an incident by link: expiry, optional redaction, the URL shown once, and the existing links with their views. */
export function SharePanel({ org, incidentId }: { org: string; incidentId: string }) {
  const { formatTime } = useTimeFormat();
  const qc = useQueryClient();
  const base = `/api/v1/orgs/${encodeURIComponent(org)}/incidents/${incidentId}/share-links`;
  const links = useQuery({ queryKey: linksKey(org, incidentId), queryFn: () => fetchJson<{ links: ShareLinkView[] }>(base) });
  const [expiresIn, setExpiresIn] = useState<"1d" | "7d" | "30d">("7d");
  const [redact, setRedact] = useState(false);
  const [created, setCreated] = useState<{ url: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function create() {
    setPending(true);
    setError(null);
    try {
      setCreated(await send<{ url: string; expiresAt: string }>(base, "POST", { expiresIn, redact }));
      await qc.invalidateQueries({ queryKey: linksKey(org, incidentId) });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPending(false);
    }
  }
  async function revoke(id: string) {
    setError(null);
    try {
      await send(`/api/v1/orgs/${encodeURIComponent(org)}/share-links/${id}`, "DELETE");
      await qc.invalidateQueries({ queryKey: linksKey(org, incidentId) });
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const active = (l: ShareLinkView) => l.active;
  return (
    <div className="space-y-4 p-4 text-sm">
      <p className="text-zinc-500">A read-only snapshot of this analysis (chart, verdict, recommendation, fix) for someone without an account. Anyone with the link can open it until it expires or you revoke it.</p>
      <div className="flex flex-wrap items-end gap-3">
        <label className="space-y-1">
          <span className="block text-xs font-medium">Expires after</span>
          <select value={expiresIn} onChange={(e) => setExpiresIn(e.target.value as typeof expiresIn)} className={`${inputClass} w-32`}>
            <option value="1d">1 day</option>
            <option value="7d">7 days</option>
            <option value="30d">30 days</option>
          </select>
        </label>
        <label className="flex items-center gap-2 pb-1.5">
          <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} />
          Hide cluster and namespace names
        </label>
        <button type="button" onClick={create} disabled={pending} className={buttonClass.primary}>{pending ? "Creating…" : "Create share link"}</button>
      </div>
      {created ? (
        <div role="status" className="rounded-md border border-green-200 bg-green-50 p-3 dark:border-green-900 dark:bg-green-950">
          <p className="mb-2 text-xs text-green-800 dark:text-green-200">Copy it now: the link is shown only once.</p>
          <div className="flex items-center gap-2">
            <code className="min-w-0 flex-1 truncate font-mono text-xs" title={created.url} data-testid="share-url">{created.url}</code>
            <CopyButton text={created.url} label="Copy link" />
          </div>
        </div>
      ) : null}
      {error ? <p role="alert" className="text-red-600 dark:text-red-400">{error}</p> : null}
      {links.data?.links.length ? (
        <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
          {links.data.links.map((l) => (
            <li key={l.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-xs">
              <span>
                {active(l) ? <span className="font-medium text-green-700 dark:text-green-400">active</span> : <span className="text-zinc-400">{l.revokedAt ? "revoked" : "expired"}</span>}
                {" · "}by {l.createdBy ?? "a former member"} {formatAgo(l.createdAt)}{l.redacted ? " · names hidden" : ""}
                {" · "}{l.viewCount} view{l.viewCount === 1 ? "" : "s"}{l.lastViewedAt ? `, last ${formatAgo(l.lastViewedAt)}` : ""}
                {active(l) && l.expiresAt ? ` · expires ${formatTime(l.expiresAt)}` : ""}
              </span>
              {active(l) ? <button type="button" onClick={() => revoke(l.id)} className="text-red-700 hover:underline dark:text-red-400">Revoke</button> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
