export const Ki = 1024;
export const Mi = 1024 * Ki;
export const Gi = 1024 * Mi;

/**
 * Rounds bytes up to a clean Kubernetes quantity (contract): multiples of 64Mi below 512Mi, of 256Mi
 * from 512Mi to 4Gi, of 512Mi from 4Gi to 8Gi, of 1Gi above. So 663Mi -> 768Mi, 845Mi -> 1Gi.
 */
export function roundUpClean(bytes: number): number {
  const b = Math.max(bytes, 1);
  // Stryker disable next-line EqualityOperator: at each boundary (512Mi, 4Gi, 8Gi) both steps round it to itself, so `<` is equivalent
  const step = b <= 512 * Mi ? 64 * Mi : b <= 4 * Gi ? 256 * Mi : b <= 8 * Gi ? 512 * Mi : Gi;
  return Math.ceil(b / step) * step;
}

/** The smallest clean quantity strictly above `bytes`. */
export const nextCleanAbove = (bytes: number) => roundUpClean(bytes + 1);

/** A byte count as kubectl writes a memory quantity: `NGi` when a whole number of GiB, else `NNNMi`. */
export function formatQuantity(bytes: number): string {
  if (bytes % Gi === 0) return `${bytes / Gi}Gi`;
  if (bytes % Mi === 0) return `${bytes / Mi}Mi`;
  if (bytes % Ki === 0) return `${bytes / Ki}Ki`;
  return String(Math.round(bytes));
}

/** Bytes in MiB with at most one decimal, for sentences: `18 Mi`. */
export const mib = (bytes: number) => {
  const v = bytes / Mi;
  return `${Math.abs(v) >= 10 ? Math.round(v) : Math.round(v * 10) / 10} Mi`;
};
