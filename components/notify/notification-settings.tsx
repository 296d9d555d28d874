"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { ChannelView } from "@/lib/notify/channels";
import type { DeliveryResult } from "@/lib/notify/deliver";
import type { AlertSettings } from "@/lib/schemas/alerts";
import { DEFAULT_CHANNEL_RULES, type ChannelRules } from "@/lib/schemas/notifications";
import { formatAgo } from "@/lib/format";
import { buttonClass, inputClass, issueFor, send } from "@/components/clusters/form-bits";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { fetchJson } from "@/components/ui/table";
import { useAction } from "@/components/ui/use-action";

const EVENT_LABELS: Record<keyof ChannelRules["events"], string> = {
  incident_opened: "New incident",
  critical: "Critical (at the critical level of the limit)",
  leak_projected: "Leak projected to reach its limit",
};

const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);

function rulesLine(r: ChannelRules): string {
  const events = (Object.keys(r.events) as (keyof ChannelRules["events"])[]).filter((k) => r.events[k]).map((k) => (k === "leak_projected" ? `leaks within ${r.leakWithinHours} h` : k === "critical" ? "critical" : "new incidents"));
  return `${events.join(", ") || "nothing"} · ${r.clusters.length ? r.clusters.join(", ") : "all clusters"} · ${r.namespaces.length ? r.namespaces.join(", ") : "all namespaces"} · at most one message per container per ${r.windowMinutes} min`;
}

function LastDelivery({ d }: { d: ChannelView["lastDelivery"] }) {
  if (!d) return <span className="text-zinc-500">nothing sent yet</span>;
  const tone = d.status === "delivered" ? "ok" : d.status === "retrying" ? "warning" : d.status === "failed" ? "critical" : "neutral";
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <Badge tone={tone}>{d.status}</Badge>
      <span className="text-zinc-500">
        {d.kind === "test" ? "test" : `${d.eventCount} event${d.eventCount === 1 ? "" : "s"}`} · {formatAgo(d.at)}{d.responseStatus ? ` · HTTP ${d.responseStatus}` : ""}{d.attempts > 1 ? ` · ${d.attempts} attempts` : ""}
      </span>
      {d.error ? <span className="w-full break-words text-red-700 dark:text-red-400">{d.error}</span> : null}
    </span>
  );
}

/** The organization's notification channels: add one, send a test, turn on or off, delete, and see how the last delivery went. */
export function NotificationChannels({ org }: { org: string }) {
  const api = `/api/v1/orgs/${encodeURIComponent(org)}/notifications/channels`;
  const key = ["notification-channels", org] as const;
  const q = useQuery({ queryKey: key, queryFn: () => fetchJson<{ channels: ChannelView[] }>(api) });
  const { run: act, error } = useAction(key);
  const [tests, setTests] = useState<Record<string, DeliveryResult | "sending">>({});
  const test = (id: string) =>
    act(async () => {
      setTests((t) => ({ ...t, [id]: "sending" }));
      try {
        const r = await send<DeliveryResult>(`${api}/${id}/test`, "POST", {});
        setTests((t) => ({ ...t, [id]: r }));
      } catch (e) {
        setTests((t) => ({ ...t, [id]: { deliveryId: null, status: "failed", responseStatus: null, error: (e as Error).message, eventCount: 0 } }));
      }
    });
  return (
    <div>
      {error ? <ErrorState title="That did not work">{(error as Error).message}</ErrorState> : null}
      {q.isPending ? (
        <div className="space-y-2 p-4"><Skeleton className="h-12 w-full" /><Skeleton className="h-12 w-full" /></div>
      ) : q.isError ? (
        <ErrorState title="Could not load the channels">{q.error.message}</ErrorState>
      ) : q.data.channels.length === 0 ? (
        <EmptyState title="No channel yet.">Add a Slack incoming webhook or a signed JSON webhook below to hear about a leak before the pager goes off.</EmptyState>
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Channels">
          {q.data.channels.map((c) => {
            const t = tests[c.id];
            return (
              <li key={c.id} data-testid="channel" className="space-y-1.5 px-4 py-3 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">{c.name}</span>
                  <Badge tone="info">{c.kind === "slack" ? "Slack" : "signed webhook"}</Badge>
                  <code className="font-mono text-xs break-all text-zinc-500">{c.host}</code>
                  {c.enabled ? null : <Badge>off</Badge>}
                </div>
                <p className="text-xs text-zinc-500">{rulesLine(c.rules)}</p>
                <p className="text-xs" data-testid="last-delivery">Last delivery: <LastDelivery d={c.lastDelivery} /></p>
                <div className="flex flex-wrap items-center gap-2 pt-1">
                  <button type="button" className={buttonClass.secondary} disabled={t === "sending"} onClick={() => void test(c.id)}>{t === "sending" ? "Sending…" : "Send test"}</button>
                  <button type="button" className={buttonClass.secondary} onClick={() => void act(() => send(`${api}/${c.id}`, "PATCH", { enabled: !c.enabled }))}>{c.enabled ? "Turn off" : "Turn on"}</button>
                  <button type="button" className="px-2 text-sm text-red-700 hover:underline dark:text-red-400" onClick={() => { if (window.confirm(`Delete the channel ${c.name}?`)) void act(() => send(`${api}/${c.id}`, "DELETE")); }}>Delete</button>
                  {t && t !== "sending" ? (
                    <span role="status" className={`text-xs ${t.status === "delivered" ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`}>
                      {t.status === "delivered" ? `Test delivered (HTTP ${t.responseStatus})` : `Test failed: ${t.error}`}
                    </span>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <AddChannel org={org} api={api} queryKey={key} />
    </div>
  );
}

function AddChannel({ api, queryKey }: { org: string; api: string; queryKey: readonly unknown[] }) {
  const { run: act, error } = useAction(queryKey);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"slack" | "webhook">("slack");
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState(DEFAULT_CHANNEL_RULES.events);
  const [leakWithinHours, setLeak] = useState(String(DEFAULT_CHANNEL_RULES.leakWithinHours));
  const [clusters, setClusters] = useState("");
  const [namespaces, setNamespaces] = useState("");
  const [windowMinutes, setWindow] = useState(String(DEFAULT_CHANNEL_RULES.windowMinutes));
  const [secret, setSecret] = useState<string | null>(null);
  const err = (p: string) => issueFor(error, p);
  return (
    <form
      className="space-y-3 border-t border-zinc-200 px-4 py-4 text-sm dark:border-zinc-800"
      onSubmit={(e) => {
        e.preventDefault();
        setSecret(null);
        void act(async () => {
          const r = await send<{ id: string; secret: string | null }>(api, "POST", {
            name, kind, url,
            rules: { events, leakWithinHours: Number(leakWithinHours), clusters: list(clusters), namespaces: list(namespaces), windowMinutes: Number(windowMinutes) },
          });
          setSecret(r.secret);
          setName("");
          setUrl("");
        });
      }}
    >
      <h3 className="font-medium">Add a channel</h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="space-y-1">
          <span className="block text-xs font-medium">Name</span>
          <input aria-label="Channel name" value={name} onChange={(e) => setName(e.target.value)} placeholder="#oncall-platform" className={inputClass} />
          {err("name") ? <span role="alert" className="block text-xs text-red-600">{err("name")}</span> : null}
        </label>
        <label className="space-y-1">
          <span className="block text-xs font-medium">Kind</span>
          <select aria-label="Kind" value={kind} onChange={(e) => setKind(e.target.value as "slack" | "webhook")} className={inputClass}>
            <option value="slack">Slack-compatible incoming webhook</option>
            <option value="webhook">JSON webhook, signed (HMAC-SHA256)</option>
          </select>
        </label>
        <label className="space-y-1 sm:col-span-2">
          <span className="block text-xs font-medium">Webhook URL</span>
          <input aria-label="Webhook URL" value={url} onChange={(e) => setUrl(e.target.value)} placeholder={kind === "slack" ? "https://hooks.slack.com/services/…" : "https://example.com/headroom"} className={`${inputClass} font-mono`} />
          {err("url") ? <span role="alert" className="block text-xs text-red-600 dark:text-red-400">{err("url")}</span> : <span className="block text-xs text-zinc-500">Stored encrypted; only its host is shown afterwards.</span>}
        </label>
      </div>
      <fieldset className="space-y-1">
        <legend className="text-xs font-medium">Send on</legend>
        {(Object.keys(EVENT_LABELS) as (keyof ChannelRules["events"])[]).map((k) => (
          <label key={k} className="flex items-center gap-2">
            <input type="checkbox" checked={events[k]} onChange={(e) => setEvents({ ...events, [k]: e.target.checked })} />
            {EVENT_LABELS[k]}
          </label>
        ))}
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="space-y-1">
          <span className="block text-xs font-medium">Leak horizon (hours)</span>
          <input aria-label="Leak horizon (hours)" inputMode="numeric" value={leakWithinHours} onChange={(e) => setLeak(e.target.value)} className={inputClass} />
          {err("rules.leakWithinHours") ? <span role="alert" className="block text-xs text-red-600">{err("rules.leakWithinHours")}</span> : null}
        </label>
        <label className="space-y-1">
          <span className="block text-xs font-medium">One message per container per (minutes)</span>
          <input aria-label="Window (minutes)" inputMode="numeric" value={windowMinutes} onChange={(e) => setWindow(e.target.value)} className={inputClass} />
          {err("rules.windowMinutes") ? <span role="alert" className="block text-xs text-red-600">{err("rules.windowMinutes")}</span> : null}
        </label>
        <label className="space-y-1">
          <span className="block text-xs font-medium">Clusters (comma-separated; empty: all)</span>
          <input aria-label="Clusters" value={clusters} onChange={(e) => setClusters(e.target.value)} placeholder="prod-eu, prod-us" className={inputClass} />
        </label>
        <label className="space-y-1">
          <span className="block text-xs font-medium">Namespaces (comma-separated; empty: all)</span>
          <input aria-label="Namespaces" value={namespaces} onChange={(e) => setNamespaces(e.target.value)} placeholder="payments" className={inputClass} />
        </label>
      </div>
      {error && !err("name") && !err("url") && !err("rules.leakWithinHours") && !err("rules.windowMinutes") ? <p role="alert" className="text-red-600 dark:text-red-400">{(error as Error).message}</p> : null}
      <button type="submit" className={buttonClass.primary}>Add channel</button>
      {secret ? (
        <div role="status" className="space-y-2 rounded-md border border-green-200 bg-green-50 p-3 dark:border-green-900 dark:bg-green-950">
          <p className="text-xs text-green-800 dark:text-green-200">Channel added. Its signing secret is shown only once: verify X-Headroom-Signature with it (see the README).</p>
          <div className="flex items-center gap-2">
            <code className="min-w-0 flex-1 truncate font-mono text-xs" data-testid="signing-secret">{secret}</code>
            <CopyButton text={secret} label="Copy secret" />
          </div>
        </div>
      ) : null}
    </form>
  );
}

/** The organization's alert levels: the at-risk list, the notifications and the exported rules read them. */
export function AlertLevels({ org, initial }: { org: string; initial: AlertSettings }) {
  const [v, setV] = useState<Record<keyof AlertSettings, string>>(Object.fromEntries(Object.entries(initial).map(([k, x]) => [k, String(x)])) as Record<keyof AlertSettings, string>);
  const [saved, setSaved] = useState(false);
  const { run: act, error } = useAction(["alert-levels", org]);
  const fields: [keyof AlertSettings, string][] = [
    ["warningPercent", "Warning at (% of the limit)"],
    ["criticalPercent", "Critical at (% of the limit)"],
    ["sustainedPercent", "Exported HighMemoryUsage at (%)"],
    ["sustainedMinutes", "… sustained for (minutes)"],
    ["leakWithinHours", "Leak rule horizon (hours)"],
  ];
  return (
    <form
      className="space-y-3 p-4 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        void act(async () => {
          await send(`/api/v1/orgs/${encodeURIComponent(org)}/notifications/levels`, "PUT", Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Number(x)])));
          setSaved(true);
        });
      }}
    >
      <p className="text-zinc-500">The domain guide&apos;s levels by default: warning at 85%, critical at 95%, HighMemoryUsage at 90% for 10 minutes.</p>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {fields.map(([k, label]) => (
          <label key={k} className="space-y-1">
            <span className="block text-xs font-medium">{label}</span>
            <input aria-label={label} inputMode="numeric" value={v[k]} onChange={(e) => setV({ ...v, [k]: e.target.value })} className={inputClass} />
            {issueFor(error, k) ? <span role="alert" className="block text-xs text-red-600 dark:text-red-400">{issueFor(error, k)}</span> : null}
          </label>
        ))}
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" className={buttonClass.primary}>Save levels</button>
        {saved ? <span role="status" className="text-xs text-emerald-700 dark:text-emerald-400">Saved.</span> : null}
      </div>
    </form>
  );
}
