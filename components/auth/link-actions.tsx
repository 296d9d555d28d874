"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { buttonClass } from "@/components/clusters/form-bits";

/** Signs in with a setup or invite link (single use), then opens `callbackUrl`. */
export function LinkSignIn({ token, callbackUrl, label }: { token: string; callbackUrl: string; label: string }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <button
        type="button"
        disabled={pending}
        className={`${buttonClass.primary} w-full py-2`}
        onClick={async () => {
          setPending(true);
          setError(null);
          const r = await signIn("link", { token, redirect: false, callbackUrl });
          if (r?.ok && !r.error) window.location.assign(callbackUrl);
          else {
            setError(r?.error && r.error !== "CredentialsSignin" ? r.error : "This link cannot be used: it was already used, it expired, or it was revoked.");
            setPending(false);
          }
        }}
      >
        {pending ? "Signing in…" : label}
      </button>
      {error ? <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400">{error}</p> : null}
    </div>
  );
}

/** Accepts an invitation as the signed-in user. */
export function AcceptInvite({ token }: { token: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <button
        type="button"
        disabled={pending}
        className={`${buttonClass.primary} w-full py-2`}
        onClick={async () => {
          setPending(true);
          setError(null);
          const res = await fetch("/api/v1/invites/accept", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
          const body = (await res.json().catch(() => ({}))) as { org?: string; error?: string };
          if (res.ok && body.org) router.push(`/${body.org}`);
          else {
            setError(body.error ?? `HTTP ${res.status}`);
            setPending(false);
          }
        }}
      >
        {pending ? "Joining…" : "Accept the invitation"}
      </button>
      {error ? <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400">{error}</p> : null}
    </div>
  );
}
