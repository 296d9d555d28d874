"use client";
import Link from "next/link";
import "./globals.css";

/** When even the root layout fails: a page of its own (html and body included) with a way back. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <main className="flex min-h-screen items-center justify-center px-4">
          <div className="w-full max-w-sm rounded-lg border border-zinc-200 bg-white p-6 shadow-sm sm:p-8 dark:border-zinc-800 dark:bg-zinc-900">
            <div className="mb-6 text-lg font-semibold tracking-tight"><span className="text-red-600">▲</span> Headroom</div>
            <h1 className="mb-3 text-sm font-semibold">Headroom is not answering</h1>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Something failed before the page could load. Try again in a moment
              {error.digest ? <> (reference <code className="font-mono text-xs">{error.digest}</code>)</> : null}.
            </p>
            <div className="mt-4 flex flex-wrap gap-3 text-sm">
              <button type="button" onClick={reset} className="rounded-md bg-zinc-900 px-3 py-1.5 font-medium text-white dark:bg-zinc-100 dark:text-zinc-900">Try again</button>
              <Link href="/" className="px-1 py-1.5 text-blue-700 hover:underline dark:text-blue-400">Go to Headroom</Link>
            </div>
          </div>
        </main>
      </body>
    </html>
  );
}
