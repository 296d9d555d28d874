"use client";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";

/** A page that failed outside an organization: say so, offer to try again or go back to Headroom. */
export default function RootError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <AuthCard title="Something went wrong">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        This page could not be shown. Try again; if it keeps failing, tell whoever runs Headroom
        {error.digest ? <> and quote <code className="font-mono text-xs">{error.digest}</code></> : null}.
      </p>
      <div className="mt-4 flex flex-wrap gap-3 text-sm">
        <button type="button" onClick={reset} className="rounded-md bg-zinc-900 px-3 py-1.5 font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300">Try again</button>
        <Link href="/" className="px-1 py-1.5 text-blue-700 hover:underline dark:text-blue-400">Go to Headroom</Link>
      </div>
    </AuthCard>
  );
}
