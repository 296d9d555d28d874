import type { ContainerSpecRow } from "@/lib/incidents/analyze";
import { heapCeilings } from "@/lib/analysis/runtime";

/** What a fix changes: the container's memory request, limit and runtime heap settings (as written, e.g. `-Xmx1g`). */
export interface MemorySpec {
  requestBytes: number | null;
  limitBytes: number | null;
  heap: string[];
}

/** The columns of a containers row a memory spec is read from (the spec row less its volumes). */
export type SpecSource = Omit<ContainerSpecRow, "memoryVolumes">;

/**
 * A container's memory spec, or null while its spec is unknown: a container the agent named in a
 * kill before any inventory read it has no image, request or limit, and "unknown" must not later
 * pass for a change (a fix) when the inventory fills it in.
 */
export function memorySpecOf(c: SpecSource | null | undefined): MemorySpec | null {
  if (!c || (c.image === null && c.requestBytes === null && c.limitBytes === null && c.env === null && c.command === null && c.args === null)) return null;
  const heap = heapCeilings({ name: c.name, command: c.command, args: c.args, env: c.env, limitBytes: c.limitBytes })
    .map((h) => h.flag)
    .sort();
  return { requestBytes: c.requestBytes, limitBytes: c.limitBytes, heap };
}

/** Whether two specs differ in request, limit or heap settings. */
export function specChanged(a: MemorySpec, b: MemorySpec): boolean {
  return a.requestBytes !== b.requestBytes || a.limitBytes !== b.limitBytes || JSON.stringify([...a.heap].sort()) !== JSON.stringify([...b.heap].sort());
}

/** A stored spec (jsonb) read back, or null when it is missing or not of this shape. */
export function parseMemorySpec(v: unknown): MemorySpec | null {
  if (!v || typeof v !== "object") return null;
  const o = v as Record<string, unknown>;
  const num = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : null);
  return { requestBytes: num(o.requestBytes), limitBytes: num(o.limitBytes), heap: Array.isArray(o.heap) ? o.heap.filter((h): h is string => typeof h === "string") : [] };
}
