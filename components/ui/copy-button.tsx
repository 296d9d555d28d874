"use client";
import { useState } from "react";

/** Copies `text` to the clipboard and says so for two seconds. */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <button
      type="button"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setState("copied");
        } catch {
          setState("failed");
        }
        setTimeout(() => setState("idle"), 2000);
      }}
      className="min-h-11 shrink-0 rounded border border-zinc-300 bg-white px-3 py-1 text-sm font-medium sm:min-h-0 sm:px-2 sm:text-xs hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
    >
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}</span>
    </button>
  );
}

/** A command or manifest in monospace with a copy button. */
export function CodeBlock({ code, label, copyLabel }: { code: string; label: string; copyLabel?: string }) {
  return (
    <figure className="overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-800">
      <figcaption className="flex items-center justify-between border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 text-xs text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900">
        {label}
        <CopyButton text={code} label={copyLabel ?? "Copy"} />
      </figcaption>
      <pre tabIndex={0} className="overflow-x-auto whitespace-pre-wrap break-all bg-white px-3 py-2.5 font-mono text-xs leading-relaxed dark:bg-zinc-950"><code>{code}</code></pre>
    </figure>
  );
}
