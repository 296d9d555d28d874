const Mi = 1024 * 1024;

/**
 * Y-axis ticks for a memory chart reaching `maxBytes`: 0 and multiples of a power-of-two step in Mi
 * (64Mi, 128Mi, 256Mi, 512Mi, 1Gi, 2Gi…), the smallest step that needs at most `maxTicks` ticks; the
 * last tick is the axis' top, at or above `maxBytes`.
 */
export function memoryTicks(maxBytes: number, maxTicks = 6): number[] {
  const top = Math.max(maxBytes, Mi);
  let step = Mi;
  while (Math.ceil(top / step) > maxTicks - 1) step *= 2;
  const n = Math.max(1, Math.ceil(top / step));
  return Array.from({ length: n + 1 }, (_, i) => i * step);
}
