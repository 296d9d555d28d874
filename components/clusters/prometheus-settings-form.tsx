"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ConnectionReport } from "@/lib/clusters/connection-test";
import type { SettingsView } from "@/lib/clusters/prometheus-settings";
import type { SyncResult } from "@/lib/inventory/prometheus-sync";
import { buttonClass, Field, inputClass, issueFor, send } from "./form-bits";

type AuthKind = "none" | "bearer" | "basic";
type Family = "cadvisor" | "ksm";
type Names = Record<Family, Record<"namespace" | "pod" | "container", string>>;
const FAMILIES: [Family, string, string][] = [
  ["cadvisor", "cAdvisor (container_memory_*)", "Before Kubernetes 1.16: pod_name, container_name."],
  ["ksm", "kube-state-metrics (kube_*)", "Scraped without honor_labels: exported_namespace, exported_pod, exported_container."],
];

/** The Prometheus endpoint of a cluster: URL, auth, headers, CA, cluster label; test, save, sync. */
export function PrometheusSettingsForm({ org, cluster, initial }: { org: string; cluster: string; initial: SettingsView }) {
  const router = useRouter();
  const [url, setUrl] = useState(initial.url ?? "");
  const [authKind, setAuthKind] = useState<AuthKind>(initial.authKind);
  const [token, setToken] = useState("");
  const [username, setUsername] = useState(initial.username ?? "");
  const [password, setPassword] = useState("");
  const [headers, setHeaders] = useState<{ name: string; value: string; stored: boolean }[]>(initial.headers.map((h) => ({ name: h.name, value: "", stored: true })));
  const [caPem, setCaPem] = useState(initial.caPem ?? "");
  const [skipVerify, setSkipVerify] = useState(initial.skipVerify);
  const [clusterLabel, setClusterLabel] = useState(initial.clusterLabel ?? "");
  const [clusterLabelValue, setClusterLabelValue] = useState(initial.clusterLabelValue ?? "");
  const [names, setNames] = useState<Names>(() => {
    const of = (f: Family) => ({ namespace: initial.labelNames?.[f]?.namespace ?? "", pod: initial.labelNames?.[f]?.pod ?? "", container: initial.labelNames?.[f]?.container ?? "" });
    return { cadvisor: of("cadvisor"), ksm: of("ksm") };
  });
  const setName = (f: Family, k: keyof Names[Family], v: string) => setNames((n) => ({ ...n, [f]: { ...n[f], [k]: v } }));
  const base = `/api/v1/orgs/${org}/clusters/${cluster}`;
  const storedSecret = initial.hasSecret && initial.authKind === authKind;

  const body = () => ({
    url,
    auth: authKind === "bearer" ? { kind: "bearer", token: token || undefined } : authKind === "basic" ? { kind: "basic", username, password: password || undefined } : { kind: "none" },
    headers: headers.filter((h) => h.name.trim()).map((h) => ({ name: h.name.trim(), value: h.value || undefined })),
    caPem: caPem.trim() || null,
    skipVerify,
    clusterLabel: clusterLabel.trim() || null,
    clusterLabelValue: clusterLabel.trim() ? clusterLabelValue : null,
    labelNames: names,
  });
  const test = useMutation({ mutationFn: () => send<ConnectionReport>(`${base}/settings/test`, "POST", body()) });
  const sync = useMutation({ mutationFn: () => send<SyncResult>(`${base}/sync`, "POST"), onSettled: () => router.refresh() });
  const save = useMutation({
    mutationFn: () => send<SettingsView>(`${base}/settings`, "PUT", body()),
    onSuccess: () => {
      setToken("");
      setPassword("");
      sync.mutate();
    },
  });
  const err = save.error ?? test.error;
  const fieldError = (path: string) => issueFor(err, path);
  const general = err && !(err as { problem?: { issues?: unknown[] } }).problem?.issues ? err.message : null;

  return (
    <form
      className="space-y-5 px-4 py-4"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Field label="Prometheus URL" htmlFor="url" error={fieldError("url")} help="The base of the HTTP API: Prometheus, Thanos Query, Mimir (…/prometheus), VictoriaMetrics. Headroom calls /api/v1/query_range under it.">
        <input id="url" className={`${inputClass} font-mono`} value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://prometheus.prod-eu.example.com" required />
      </Field>

      <fieldset className="space-y-3">
        <legend className="text-sm font-medium">Authentication</legend>
        <div className="flex gap-4 text-sm">
          {(["none", "bearer", "basic"] as const).map((k) => (
            <label key={k} className="flex items-center gap-1.5">
              <input type="radio" name="auth" value={k} checked={authKind === k} onChange={() => setAuthKind(k)} />
              {k === "none" ? "None" : k === "bearer" ? "Bearer token" : "Basic auth"}
            </label>
          ))}
        </div>
        {authKind === "bearer" ? (
          <Field label="Token" htmlFor="token" error={fieldError("auth.token")} help={storedSecret ? "A token is stored (encrypted). Leave empty to keep it." : "Stored encrypted (AES-256-GCM); never shown again."}>
            <input id="token" type="password" autoComplete="off" className={`${inputClass} font-mono`} value={token} onChange={(e) => setToken(e.target.value)} placeholder={storedSecret ? "•••••••• (stored)" : ""} />
          </Field>
        ) : null}
        {authKind === "basic" ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Username" htmlFor="username" error={fieldError("auth.username")}>
              <input id="username" autoComplete="off" className={inputClass} value={username} onChange={(e) => setUsername(e.target.value)} />
            </Field>
            <Field label="Password" htmlFor="password" error={fieldError("auth.password")} help={storedSecret ? "A password is stored (encrypted). Leave empty to keep it." : "Stored encrypted."}>
              <input id="password" type="password" autoComplete="off" className={inputClass} value={password} onChange={(e) => setPassword(e.target.value)} placeholder={storedSecret ? "•••••••• (stored)" : ""} />
            </Field>
          </div>
        ) : null}
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Custom headers</legend>
        <p className="text-xs text-zinc-500">Sent with every request, e.g. <code>X-Scope-OrgID</code> for a Mimir tenant. Values are stored encrypted.</p>
        {headers.map((h, i) => (
          <div key={i} className="flex gap-2">
            <input aria-label={`Header ${i + 1} name`} className={`${inputClass} font-mono`} value={h.name} onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} placeholder="X-Scope-OrgID" />
            <input aria-label={`Header ${i + 1} value`} className={`${inputClass} font-mono`} value={h.value} onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} placeholder={h.stored ? "•••• (stored)" : "value"} />
            <button type="button" className={buttonClass.secondary} onClick={() => setHeaders(headers.filter((_, j) => j !== i))} aria-label={`Remove header ${i + 1}`}>Remove</button>
          </div>
        ))}
        {headers.map((_, i) => fieldError(`headers.${i}.value`) ?? fieldError(`headers.${i}.name`)).filter(Boolean).map((m) => <p key={m} role="alert" className="text-xs text-red-600">{m}</p>)}
        <button type="button" className={buttonClass.secondary} onClick={() => setHeaders([...headers, { name: "", value: "", stored: false }])} disabled={headers.length >= 20}>Add header</button>
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Cluster label" htmlFor="clusterLabel" error={fieldError("clusterLabel")} help="Only for a Prometheus that holds many clusters (e.g. cluster). Leave empty otherwise.">
          <input id="clusterLabel" className={`${inputClass} font-mono`} value={clusterLabel} onChange={(e) => setClusterLabel(e.target.value)} placeholder="cluster" />
        </Field>
        <Field label="Its value for this cluster" htmlFor="clusterLabelValue" error={fieldError("clusterLabelValue")}>
          <input id="clusterLabelValue" className={`${inputClass} font-mono`} value={clusterLabelValue} onChange={(e) => setClusterLabelValue(e.target.value)} disabled={!clusterLabel.trim()} placeholder={cluster} />
        </Field>
      </div>

      <details className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800" open={Boolean(initial.labelNames) || Boolean(test.data?.suggestedLabelNames)}>
        <summary className="cursor-pointer text-sm font-medium">Label names</summary>
        <div className="mt-3 space-y-3">
          <p className="text-xs text-zinc-500">Only when relabelling renamed them. Empty fields mean the standard names: namespace, pod, container.</p>
          {FAMILIES.map(([f, title, hint]) => (
            <fieldset key={f} className="space-y-1">
              <legend className="text-sm">{title} <span className="text-xs text-zinc-500">{hint}</span></legend>
              <div className="grid gap-2 sm:grid-cols-3">
                {(["namespace", "pod", "container"] as const).map((k) => (
                  <Field key={k} label={`${k} label`} htmlFor={`${f}-${k}`} error={fieldError(`labelNames.${f}.${k}`)}>
                    <input id={`${f}-${k}`} className={`${inputClass} font-mono`} value={names[f][k]} onChange={(e) => setName(f, k, e.target.value)} placeholder={k} />
                  </Field>
                ))}
              </div>
            </fieldset>
          ))}
          {test.data?.suggestedLabelNames ? (
            <button
              type="button"
              className={buttonClass.secondary}
              onClick={() => {
                for (const [f, s] of Object.entries(test.data!.suggestedLabelNames!) as [Family, Partial<Names[Family]>][]) for (const [k, v] of Object.entries(s)) setName(f, k as keyof Names[Family], v);
              }}
            >
              Use the names found on the series
            </button>
          ) : null}
        </div>
      </details>

      <details className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800" open={Boolean(initial.caPem) || initial.skipVerify}>
        <summary className="cursor-pointer text-sm font-medium">TLS</summary>
        <div className="mt-3 space-y-3">
          <Field label="CA certificate (PEM)" htmlFor="ca" error={fieldError("caPem")} help="When the server's certificate is signed by a private CA.">
            <textarea id="ca" rows={4} className={`${inputClass} font-mono text-xs`} value={caPem} onChange={(e) => setCaPem(e.target.value)} placeholder="-----BEGIN CERTIFICATE-----" />
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={skipVerify} onChange={(e) => setSkipVerify(e.target.checked)} />
            Skip certificate verification <span className="text-xs text-amber-600">(insecure: anyone in the path can read the token)</span>
          </label>
        </div>
      </details>

      <p className="text-xs text-zinc-500">The memory price for cost figures is set in the Pricing card below.</p>

      {general ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/40 dark:text-red-300">{general}</p> : null}

      <div className="flex flex-wrap items-center gap-2 border-t border-zinc-100 pt-4 dark:border-zinc-800">
        <button type="button" className={buttonClass.secondary} onClick={() => test.mutate()} disabled={test.isPending || !url}>{test.isPending ? "Testing…" : "Test connection"}</button>
        <button type="submit" className={buttonClass.primary} disabled={save.isPending}>{save.isPending ? "Saving…" : "Save and sync"}</button>
        {initial.url ? <button type="button" className={buttonClass.secondary} onClick={() => sync.mutate()} disabled={sync.isPending}>{sync.isPending ? "Syncing…" : "Sync now"}</button> : null}
        <span aria-live="polite" className="text-sm">
          {save.isSuccess && !sync.isPending ? <span className="text-emerald-700 dark:text-emerald-400">Saved.</span> : null}
          {sync.isPending ? <span className="text-zinc-500"> Reading 30 days of history from Prometheus…</span> : null}
          {sync.isSuccess ? <span className="text-emerald-700 dark:text-emerald-400"> Synced {sync.data.workloads} workloads, {sync.data.containers} containers, {sync.data.oomKills} OOMKills.</span> : null}
          {sync.isError ? <span className="text-red-700 dark:text-red-400"> Sync failed: {sync.error.message}</span> : null}
        </span>
      </div>

      {test.data ? <ConnectionResult report={test.data} /> : null}
    </form>
  );
}

function ConnectionResult({ report }: { report: ConnectionReport }) {
  return (
    <section aria-label="Connection test" className={`rounded-md border px-4 py-3 text-sm ${report.ok ? "border-emerald-300 bg-emerald-50/60 dark:border-emerald-900 dark:bg-emerald-950/30" : "border-amber-300 bg-amber-50/60 dark:border-amber-900 dark:bg-amber-950/30"}`}>
      <p className="font-medium">
        {report.ok ? `Connected to ${report.url}${report.version ? ` (Prometheus ${report.version})` : ""}: ${report.containers} containers with memory metrics.` : report.checks.length ? `Connected to ${report.url}, but something is missing.` : "Could not connect."}
      </p>
      {report.queryMode ? (
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          Query mode: <span className="font-medium">{report.queryMode}</span> — {report.queryModeDetail}
        </p>
      ) : null}
      {report.error ? <p className="mt-1 text-amber-800 dark:text-amber-300">{report.error}</p> : null}
      {report.checks.length ? (
        <ul className="mt-2 space-y-1">
          {report.checks.map((c) => (
            <li key={c.id} className="flex gap-2">
              <span aria-hidden className={c.count > 0 ? "text-emerald-600" : c.required ? "text-red-600" : "text-amber-600"}>{c.count > 0 ? "✓" : c.required ? "✗" : "!"}</span>
              <span>
                {c.label}: {c.detail ?? (c.count > 0 ? `${c.count} series` : c.required ? "missing" : "missing (optional)")}
                {c.count === 0 ? <span className="block text-xs text-zinc-500">{c.help}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
