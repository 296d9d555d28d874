import type { AnalysisOutput } from "@/lib/analysis/types";
import { CodeBlock } from "@/components/ui/copy-button";

/** The fix: the commands that apply the recommendation, the patch for GitOps, the in-place resize; or "sizing is right". */
export function FixPanel({ a }: { a: AnalysisOutput }) {
  const rec = a.recommendation;
  if (!rec) return null;
  const c = a.commands;
  if (rec.noChange || !c) {
    return (
      <p className="px-4 py-4 text-sm text-emerald-700 dark:text-emerald-400" data-testid="no-change">
        Sizing is right: the recommended request ({rec.request}) and limit ({rec.limit}) are what the container has today. Nothing to apply.
      </p>
    );
  }
  return (
    <div className="space-y-3 px-4 py-4">
      {c.kubectl ? (
        <div className="grid items-start gap-3 lg:grid-cols-2">
          <div className="min-w-0 space-y-3">
            <CodeBlock code={c.kubectl} label={c.env ? "1. kubectl: resources" : "kubectl"} copyLabel="Copy command" />
            {c.env ? <CodeBlock code={c.env} label="2. kubectl: heap setting" copyLabel="Copy command" /> : null}
          </div>
          {c.patch ? <CodeBlock code={c.patch} label="Strategic-merge patch (GitOps)" copyLabel="Copy patch" /> : null}
        </div>
      ) : null}
      {c.note ? <p className="text-sm text-zinc-500">{c.note}</p> : null}
      {c.resize ? (
        <details className="rounded-md border border-zinc-200 dark:border-zinc-800">
          <summary className="cursor-pointer px-3 py-2 text-sm">Apply to the running pods without a restart (in-place resize)</summary>
          <div className="space-y-2 px-3 pb-3">
            <p className="text-xs text-zinc-500">{c.resizeNote}</p>
            <CodeBlock code={c.resize} label="kubectl: in-place resize" copyLabel="Copy commands" />
          </div>
        </details>
      ) : c.resizeNote ? (
        <p className="text-xs text-zinc-500">{c.resizeNote}</p>
      ) : null}
      {a.pattern === "leak" ? <p className="text-sm text-amber-700 dark:text-amber-400">This buys time; the leak itself needs fixing — see the profiling advice below.</p> : null}
    </div>
  );
}
