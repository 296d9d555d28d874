import { PATTERN_LABELS } from "@/lib/format";

const TONES = {
  critical: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  warning: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  ok: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  info: "bg-blue-100 text-blue-800 dark:bg-blue-950 dark:text-blue-300",
  neutral: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
} as const;

export type Tone = keyof typeof TONES;

export function Badge({ tone = "neutral", children }: { tone?: Tone; children: React.ReactNode }) {
  return <span className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${TONES[tone]}`}>{children}</span>;
}

const STATUS_TONE: Record<string, Tone> = { open: "critical", acknowledged: "warning", resolved: "ok" };
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONE[status] ?? "neutral"}>{status}</Badge>;
}

const PATTERN_TONE: Record<string, Tone> = { leak: "critical", limit_too_low: "warning", spike: "warning", healthy: "ok", insufficient_data: "neutral" };
export function PatternBadge({ pattern }: { pattern: string | null }) {
  if (!pattern) return <Badge>not analysed</Badge>;
  return <Badge tone={PATTERN_TONE[pattern] ?? "neutral"}>{PATTERN_LABELS[pattern] ?? pattern}</Badge>;
}
