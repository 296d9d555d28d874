import { formatBytes } from "@/lib/format";
import type { MemorySpec } from "@/lib/incidents/memory-spec";

/** A memory spec in one line: `request 128Mi · limit 256Mi · -Xmx200m`. */
export function specLine(s: MemorySpec): string {
  return [`request ${formatBytes(s.requestBytes)}`, `limit ${formatBytes(s.limitBytes)}`, ...(s.heap.length ? s.heap : ["no heap setting"])].join(" · ");
}

/** What changed between two specs, for a timeline line: `limit 256Mi → 512Mi`. */
export function specDiff(before: MemorySpec | null, after: MemorySpec | null): string {
  if (!before || !after) return "";
  const parts: string[] = [];
  if (before.requestBytes !== after.requestBytes) parts.push(`request ${formatBytes(before.requestBytes)} → ${formatBytes(after.requestBytes)}`);
  if (before.limitBytes !== after.limitBytes) parts.push(`limit ${formatBytes(before.limitBytes)} → ${formatBytes(after.limitBytes)}`);
  const h0 = before.heap.join(" ") || "none";
  const h1 = after.heap.join(" ") || "none";
  if (h0 !== h1) parts.push(`heap ${h0} → ${h1}`);
  return parts.join(", ");
}
