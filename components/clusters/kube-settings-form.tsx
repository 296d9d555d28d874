"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { KubeConnectionReport } from "@/lib/kube/direct-client";
import type { DirectSyncResult } from "@/lib/kube/direct-sync";
import type { KubeSettingsView } from "@/lib/kube/direct-settings";
import { buttonClass, Field, inputClass, issueFor, send } from "./form-bits";

type Kind = "token" | "kubeconfig";

/**
 * Direct mode: the Kubernetes API server Headroom's server reads this cluster from (inventory and
 * terminations), with a read-only service-account token or a pasted kubeconfig's static credential.
 */
export function KubeSettingsForm({ org, cluster, initial }: { org: string; cluster: string; initial: KubeSettingsView }) {
  const router = useRouter();
  const [kind, setKind] = useState<Kind>("token");
  const [serverUrl, setServerUrl] = useState(initial.serverUrl ?? "");
  const [token, setToken] = useState("");
  const [caPem, setCaPem] = useState("");
  const [skipVerify, setSkipVerify] = useState(initial.skipVerify);
  const [kubeconfig, setKubeconfig] = useState("");
  const [context, setContext] = useState("");
  const base = `/api/v1/orgs/${org}/clusters/${cluster}`;
  const storedToken = initial.configured && initial.auth === "token" && !initial.unreadable;

  const body = () =>
    kind === "kubeconfig"
      ? { kind, kubeconfig, context: context.trim() || undefined }
      : { kind, serverUrl, token: token.trim() || undefined, caPem: caPem.trim() || null, skipVerify };
  const test = useMutation({ mutationFn: () => send<KubeConnectionReport>(`${base}/kubernetes/test`, "POST", body()) });
  // a read of the API server (and of the cluster's Prometheus, when it has one), as "Sync now" does
  const read = useMutation({ mutationFn: () => send<{ kubernetes: DirectSyncResult | null }>(`${base}/sync`, "POST"), onSettled: () => router.refresh() });
  const save = useMutation({
    mutationFn: () => send<KubeSettingsView>(`${base}/kubernetes`, "PUT", body()),
    onSuccess: () => {
      setToken("");
      setKubeconfig("");
      read.mutate();
    },
  });
  const remove = useMutation({ mutationFn: () => send<null>(`${base}/kubernetes`, "DELETE").catch(() => null), onSettled: () => router.refresh() });
  const err = save.error ?? test.error;
  const fieldError = (path: string) => issueFor(err, path);
  const general = err && !(err as { problem?: { issues?: unknown[] } }).problem?.issues ? err.message : null;

  return (
    <form
      className="space-y-4 px-4 py-4"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {initial.configured ? (
          <>Reading <span className="font-mono break-all">{initial.serverUrl}</span> with a {initial.auth === "cert" ? "client certificate" : "service-account token"}{initial.ca ? " and its CA" : ""}. Saving again replaces it.</>
        ) : (
          <>Headroom&apos;s server lists pods, workloads and nodes itself (get/list only), on the sync schedule and on &quot;Sync now&quot;. No agent needed; kills show up at the next sync instead of within seconds.</>
        )}
      </p>
      <div role="radiogroup" aria-label="Credential" className="flex flex-wrap gap-4 text-sm">
        {(["token", "kubeconfig"] as const).map((k) => (
          <label key={k} className="flex items-center gap-1.5">
            <input type="radio" name="kube-kind" checked={kind === k} onChange={() => setKind(k)} />
            {k === "token" ? "Service-account token" : "Paste a kubeconfig"}
          </label>
        ))}
      </div>
      {kind === "token" ? (
        <>
          <Field label="API server URL" htmlFor="kube-server" error={fieldError("serverUrl")} help="kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}'">
            <input id="kube-server" className={`${inputClass} font-mono`} value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} placeholder="https://203.0.113.10:6443" required />
          </Field>
          <Field
            label="API token"
            htmlFor="kube-token"
            error={fieldError("token")}
            help={storedToken ? "A token is stored; leave empty to keep it." : "kubectl -n headroom create token headroom-collector --duration=8760h (the agent manifests' read-only ServiceAccount, or your own bound to a get/list ClusterRole)."}
          >
            <input id="kube-token" type="password" autoComplete="off" className={`${inputClass} font-mono`} value={token} onChange={(e) => setToken(e.target.value)} placeholder={storedToken ? "•••••••• stored" : "eyJhbGciOi…"} />
          </Field>
          <Field label="CA certificate (PEM, optional)" htmlFor="kube-ca" error={fieldError("caPem")} help={initial.ca ? "A CA is stored; leave empty to keep it, or paste another to replace it." : "The cluster's CA when its certificate is not signed by a public authority."}>
            <textarea id="kube-ca" rows={3} className={`${inputClass} font-mono text-xs`} value={caPem} onChange={(e) => setCaPem(e.target.value)} placeholder="-----BEGIN CERTIFICATE-----" />
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={skipVerify} onChange={(e) => setSkipVerify(e.target.checked)} />
            Skip TLS verification <span className="text-xs text-zinc-500">(testing only: anyone on the path can read the token)</span>
          </label>
        </>
      ) : (
        <>
          <Field label="kubeconfig" htmlFor="kube-config" error={fieldError("kubeconfig")} help="kubectl config view --flatten --minify. Only the context's server, CA and token or client certificate are kept (sealed); exec plugins and file paths are refused.">
            <textarea id="kube-config" rows={8} className={`${inputClass} font-mono text-xs`} value={kubeconfig} onChange={(e) => setKubeconfig(e.target.value)} placeholder={"apiVersion: v1\nkind: Config\n…"} required />
          </Field>
          <Field label="Context (optional)" htmlFor="kube-context" error={fieldError("context")} help="The kubeconfig's current-context when empty.">
            <input id="kube-context" className={`${inputClass} font-mono`} value={context} onChange={(e) => setContext(e.target.value)} />
          </Field>
        </>
      )}
      {general ? <p role="alert" className="text-sm text-red-600 dark:text-red-400">{general}</p> : null}
      {test.data ? <KubeReport report={test.data} /> : null}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={buttonClass.primary} disabled={save.isPending}>{save.isPending ? "Saving…" : "Save connection"}</button>
        <button type="button" className={buttonClass.secondary} disabled={test.isPending} onClick={() => test.mutate()}>{test.isPending ? "Testing…" : "Test API access"}</button>
        {initial.configured ? (
          <button type="button" className={buttonClass.secondary} disabled={read.isPending} onClick={() => read.mutate()}>{read.isPending ? "Reading…" : "Read now"}</button>
        ) : null}
        {initial.configured ? (
          <button type="button" className={buttonClass.secondary} disabled={remove.isPending} onClick={() => { if (confirm("Stop reading this cluster's Kubernetes API? The inventory read so far stays.")) remove.mutate(); }}>
            Disconnect
          </button>
        ) : null}
      </div>
      {read.isPending ? <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">Reading the API server…</p> : null}
      {read.data?.kubernetes ? (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          Read {plural(read.data.kubernetes.workloads, "workload")}, {plural(read.data.kubernetes.pods, "pod")} and {plural(read.data.kubernetes.nodes, "node")}; {plural(read.data.kubernetes.terminations, "termination")} ({read.data.kubernetes.stored} new){read.data.kubernetes.incidentsOpened ? `, ${plural(read.data.kubernetes.incidentsOpened, "incident")} opened` : ""}.
        </p>
      ) : null}
      {read.error ? <p role="alert" className="text-sm text-red-600 dark:text-red-400">The read failed: {read.error.message}</p> : null}
    </form>
  );
}

function KubeReport({ report }: { report: KubeConnectionReport }) {
  return (
    <div role="status" className={`rounded-md border px-3 py-2 text-sm ${report.ok ? "border-emerald-300 bg-emerald-50 dark:border-emerald-800 dark:bg-emerald-950/40" : "border-amber-300 bg-amber-50 dark:border-amber-800 dark:bg-amber-950/40"}`}>
      <p className="font-medium">{report.ok ? `Connected${report.version ? ` — Kubernetes ${report.version}` : ""}: every list can be read.` : report.error ?? "The connection failed."}</p>
      {report.checks.some((c) => !c.ok) ? (
        <ul className="mt-1 space-y-0.5 text-xs">
          {report.checks.filter((c) => !c.ok).map((c) => (
            <li key={c.resource}><span className="font-mono">{c.resource}</span>: {c.error}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

const plural = (n: number, word: string) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
