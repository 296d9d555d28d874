"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { buttonClass, inputClass } from "@/components/clusters/form-bits";

/** "Continue with SSO" (work email or organization name → that organization's identity provider) and the demo account. */
export function SignIn({ callbackUrl, demo, publicDemo }: { callbackUrl: string; demo: boolean; publicDemo: boolean }) {
  const [login, setLogin] = useState("");
  const [pending, setPending] = useState<"sso" | "demo" | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function continueWithSso(e: React.FormEvent) {
    e.preventDefault();
    setPending("sso");
    setError(null);
    const res = await fetch("/api/v1/sso/lookup", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login }) });
    const body = (await res.json().catch(() => ({}))) as { provider?: string; error?: string; issues?: { message: string }[] };
    if (!res.ok || !body.provider) {
      setError(body.issues?.[0]?.message ?? body.error ?? `HTTP ${res.status}`);
      setPending(null);
      return;
    }
    await signIn(body.provider, { callbackUrl });
  }

  return (
    <div className="space-y-5">
      <form onSubmit={continueWithSso} className="space-y-2">
        <label htmlFor="sso-login" className="block text-sm font-medium">Work email or organization</label>
        <input
          id="sso-login"
          name="login"
          autoComplete="email"
          required
          value={login}
          onChange={(e) => setLogin(e.target.value)}
          placeholder="alice@example.com"
          className={inputClass}
        />
        <button type="submit" disabled={pending !== null} className={`${buttonClass.primary} w-full py-2`}>
          {pending === "sso" ? "Redirecting…" : "Continue with SSO"}
        </button>
        <p className="text-xs text-zinc-500">You sign in with your organization&apos;s identity provider.</p>
      </form>
      {error ? <p role="alert" className="text-sm text-red-600 dark:text-red-400">{error}</p> : null}
      {demo ? (
        <div className="border-t border-zinc-200 pt-4 dark:border-zinc-800">
          <button
            type="button"
            disabled={pending !== null}
            onClick={async () => {
              setPending("demo");
              setError(null);
              const r = await signIn("demo", { redirect: false, callbackUrl });
              if (r?.ok) window.location.assign(r.url ?? callbackUrl);
              else {
                setError("The demo account is not available. Is the demo organization seeded?");
                setPending(null);
              }
            }}
            className={`${buttonClass.secondary} w-full py-2`}
          >
            {pending === "demo" ? "Signing in…" : "Continue with the demo account"}
          </button>
          <p className="mt-2 text-xs text-zinc-500">
            Explore Acme: three clusters, 43 workloads, 30 days of OOMKills{publicDemo ? " (read-only)" : ""}.
          </p>
        </div>
      ) : null}
    </div>
  );
}
