"use client";
import { useTimeZone } from "@/components/time-zone";
import { formatStoredAt, type RowVerdict } from "@/lib/incidents/verdict-line";

/**
 * A verdict in a list row: what it says, then its prediction (red under a day, amber under three).
 * A stored verdict leads with the time it was computed, so it never passes for the live one.
 */
export function VerdictText({ verdict, now }: { verdict: RowVerdict; now: number }) {
  const tz = useTimeZone();
  const h = verdict.timeToOomHours;
  const tone = h === null ? "" : h < 24 ? "text-red-600 dark:text-red-400" : h < 72 ? "text-amber-600 dark:text-amber-400" : "";
  return (
    <span data-testid="row-verdict" className="text-xs text-zinc-500">
      {verdict.storedAt ? <span data-testid="verdict-stored-at">at {formatStoredAt(verdict.storedAt, now, tz)}: </span> : null}
      <span>{verdict.text}</span>
      {verdict.prediction ? (
        <>
          {" · "}
          <span data-testid="row-prediction" className={`font-medium whitespace-nowrap ${tone}`}>{verdict.prediction}</span>
        </>
      ) : null}
    </span>
  );
}
