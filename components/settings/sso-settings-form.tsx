"use client";
import { useTimeFormat } from "@/components/time-zone";
import { signIn } from "next-auth/react";
import { useState } from "react";
import type { SsoSettingsView } from "@/lib/orgs/sso";
import { buttonClass, Field, inputClass, issueFor, send } from "@/components/clusters/form-bits";
import { CopyButton } from "@/components/ui/copy-button";

/** Settings → Single sign-on: provider, client, domains, default role; a test sign-in before switching it on. */
export function SsoSettingsForm({ org, initial, callbackUrl, justTested }: { org: string; initial: SsoSettingsView | null; callbackUrl: string; justTested: boolean }) {
  const [saved, setSaved] = useState(initial);
  const { formatTime } = useTimeFormat();
  const [issuer, setIssuer] = useState(initial?.issuer ?? "");
  const [clientId, setClientId] = useState(initial?.clientId ?? "");
  const [clientSecret, setClientSecret] = useState("");
  const [domains, setDomains] = useState(initial?.domains.join(", ") ?? "");
  const [defaultRole, setDefaultRole] = useState(initial?.defaultRole ?? "member");
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(justTested && initial?.testedAt ? "Test sign-in succeeded. You can switch single sign-on on." : null);
  const [pending, setPending] = useState<string | null>(null);
  const api = `/api/v1/orgs/${encodeURIComponent(org)}/sso`;
  const callback = callbackUrl || (typeof window === "undefined" ? "" : `${window.location.origin}/api/auth/callback/sso-${org}`);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setPending("save");
    setError(null);
    setMessage(null);
    try {
      const domainList = domains.split(/[\s,]+/).map((d) => d.trim()).filter(Boolean);
      const r = await send<{ settings: SsoSettingsView }>(api, "PUT", { issuer, clientId, clientSecret: clientSecret || undefined, domains: domainList, defaultRole });
      setSaved(r.settings);
      setClientSecret("");
      setMessage(r.settings.testedAt ? "Saved." : "Saved. Run a test sign-in before switching single sign-on on.");
    } catch (err) {
      setError(err);
    } finally {
      setPending(null);
    }
  }
  async function setEnabled(enabled: boolean) {
    setPending("enable");
    setError(null);
    try {
      const r = await send<{ settings: SsoSettingsView }>(`${api}/enabled`, "PUT", { enabled });
      setSaved(r.settings);
      setMessage(enabled ? "Single sign-on is on: members sign in with “Continue with SSO”." : "Single sign-on is off.");
    } catch (err) {
      setError(err);
    } finally {
      setPending(null);
    }
  }
  const top = error && !issueFor(error, "issuer") && !issueFor(error, "clientId") && !issueFor(error, "clientSecret") && !issueFor(error, "domains") ? (issueFor(error, "enabled") ?? (error as Error).message) : null;

  return (
    <div className="space-y-5 p-4">
      <div className="rounded-md bg-zinc-50 p-3 text-xs text-zinc-600 dark:bg-zinc-950 dark:text-zinc-400">
        <p className="mb-1">Register Headroom at your identity provider as a web application (authorization code flow with PKCE) with this redirect URI:</p>
        <div className="flex items-center gap-2">
          <code className="min-w-0 flex-1 truncate font-mono" title={callback}>{callback}</code>
          <CopyButton text={callback} label="Copy" />
        </div>
      </div>
      <form onSubmit={save} className="grid gap-4 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <Field label="Issuer URL" htmlFor="sso-issuer" help="Headroom reads its /.well-known/openid-configuration when you save." error={issueFor(error, "issuer")}>
            <input id="sso-issuer" className={inputClass} value={issuer} onChange={(e) => setIssuer(e.target.value)} placeholder="https://login.example.com/realms/acme" required />
          </Field>
        </div>
        <Field label="Client ID" htmlFor="sso-client" error={issueFor(error, "clientId")}>
          <input id="sso-client" className={inputClass} value={clientId} onChange={(e) => setClientId(e.target.value)} required autoComplete="off" />
        </Field>
        <Field label="Client secret" htmlFor="sso-secret" help={saved?.hasClientSecret ? "Stored encrypted. Leave empty to keep it." : "Stored encrypted; never shown again."} error={issueFor(error, "clientSecret")}>
          <input id="sso-secret" type="password" className={inputClass} value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} autoComplete="new-password" />
        </Field>
        <Field label="Email domains" htmlFor="sso-domains" help="People with a verified email in these domains join on first sign-in. Separate with commas." error={issueFor(error, "domains")}>
          <input id="sso-domains" className={inputClass} value={domains} onChange={(e) => setDomains(e.target.value)} placeholder="example.com" required />
        </Field>
        <Field label="Role of new members" htmlFor="sso-role" help="Viewers read; members also share incidents; admins manage. Change it per person on the Members page.">
          <select id="sso-role" className={inputClass} value={defaultRole} onChange={(e) => setDefaultRole(e.target.value)}>
            <option value="viewer">viewer</option>
            <option value="member">member</option>
            <option value="admin">admin</option>
          </select>
        </Field>
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
          <button type="submit" disabled={pending !== null} className={buttonClass.primary}>{pending === "save" ? "Checking the issuer…" : "Save"}</button>
          {saved ? (
            <button type="button" disabled={pending !== null} className={buttonClass.secondary} onClick={() => signIn(`sso-${org}`, { callbackUrl: `/${org}/settings/sso?tested=1` })}>
              Test sign-in
            </button>
          ) : null}
          {saved ? (
            saved.enabled ? (
              <button type="button" disabled={pending !== null} className={buttonClass.secondary} onClick={() => setEnabled(false)}>Switch off</button>
            ) : (
              <button type="button" disabled={pending !== null || !saved.testedAt} className={buttonClass.secondary} onClick={() => setEnabled(true)} title={saved.testedAt ? undefined : "Run a test sign-in first"}>
                Switch on
              </button>
            )
          ) : null}
        </div>
      </form>
      <p className="text-sm" aria-live="polite">
        Status:{" "}
        {!saved ? <span className="text-zinc-500">not configured</span> : saved.enabled ? <span className="font-medium text-green-700 dark:text-green-400">on</span> : <span className="text-amber-700 dark:text-amber-400">off{saved.testedAt ? " (tested)" : " — test sign-in needed"}</span>}
        {saved?.testedAt ? <span className="text-zinc-500"> · last test sign-in {formatTime(saved.testedAt)}</span> : null}
      </p>
      {message ? <p role="status" className="text-sm text-green-700 dark:text-green-400">{message}</p> : null}
      {top ? <p role="alert" className="text-sm text-red-600 dark:text-red-400">{top}</p> : null}
    </div>
  );
}
