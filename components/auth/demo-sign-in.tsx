"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";

export function DemoSignIn() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <button
        type="button"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          setError(null);
          const r = await signIn("demo", { redirect: false, callbackUrl: "/" });
          if (r?.ok) window.location.assign(r.url ?? "/");
          else {
            setError("The demo account is not available. Is the demo organization seeded?");
            setPending(false);
          }
        }}
        className="w-full rounded-md bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700 disabled:opacity-60 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
      >
        {pending ? "Signing in…" : "Continue with the demo account"}
      </button>
      <p className="mt-2 text-xs text-zinc-500">Explore Acme: three clusters, 43 workloads, 30 days of OOMKills.</p>
      {error ? <p role="alert" className="mt-2 text-sm text-red-600">{error}</p> : null}
    </div>
  );
}
