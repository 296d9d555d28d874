"use client";
import Link from "next/link";
import { useParams } from "next/navigation";

/** A page of the organization failed: the navigation stays, the page says what to do. */
export default function OrgError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const { org } = useParams<{ org: string }>();
  return (
    <div className="mx-auto max-w-xl py-10" role="alert">
      <h1 className="text-xl font-semibold">This page failed to load</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        Headroom could not read what this page shows, perhaps the database or a cluster&apos;s Prometheus was slow to answer.
        Try again; if it keeps failing, tell whoever runs Headroom
        {error.digest ? <> and quote <code className="font-mono text-xs">{error.digest}</code></> : null}.
      </p>
      <div className="mt-4 flex flex-wrap gap-3 text-sm">
        <button type="button" onClick={reset} className="rounded-md bg-zinc-900 px-3 py-1.5 font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300">Try again</button>
        <Link href={`/${org}`} className="px-1 py-1.5 text-blue-700 hover:underline dark:text-blue-400">Back to the overview</Link>
      </div>
    </div>
  );
}
