import type { Finding } from "@/lib/analysis/types";
import { Badge } from "@/components/ui/badge";
import { CodeBlock } from "@/components/ui/copy-button";

const TONE = { critical: "critical", warning: "warning", info: "info" } as const;

export function FindingsList({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return <p className="px-4 py-4 text-sm text-zinc-500">Nothing in the pod spec needs attention.</p>;
  return (
    <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {findings.map((f) => (
        <li key={f.code} className="space-y-2 px-4 py-3">
          <div className="flex items-start gap-2">
            <Badge tone={TONE[f.severity]}>{f.severity}</Badge>
            <p className="text-sm">{f.message}</p>
          </div>
          {f.command ? <CodeBlock code={f.command} label="Profiling command" /> : null}
        </li>
      ))}
    </ul>
  );
}
