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

/**
 * A measured amount as the whole UI writes it, one way: rounded to the nearest Mi (`1331Mi`), `NGi` when that
 * is a whole number of GiB (`1Gi`, never `1024Mi`), a tenth of a Gi from 10Gi up (`12.5Gi`); no space before
 * the unit. Under 1Mi: `Ki`, then bytes.
 */
export function formatMeasured(bytes: number): string {
  const sign = bytes < 0 ? "-" : "";
  const b = Math.abs(bytes);
  if (b >= 10 * Gi && b % Gi !== 0) return `${sign}${(b / Gi).toFixed(1).replace(/\.0$/, "")}Gi`;
  if (b >= Mi) {
    const mi = Math.round(b / Mi);
    return mi % 1024 === 0 ? `${sign}${mi / 1024}Gi` : `${sign}${mi}Mi`;
  }
  if (b >= Ki) return `${sign}${Math.round(b / Ki)}Ki`;
  return `${sign}${Math.round(b)}`;
}

/**
 * Bytes for sentences: under 10Mi with one decimal (`2.5Mi`, for growth rates), above that as
 * {@link formatMeasured} writes it (`18Mi`, `1Gi`); no space before the unit.
 */
export const mib = (bytes: number) => {
  const v = bytes / Mi;
  return Math.abs(v) >= 10 ? formatMeasured(bytes) : `${Math.round(v * 10) / 10}Mi`;
};

const SUFFIX: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: Ki, Mi, Gi, Ti: 1024 * Gi };
const QUANTITY = /^(\d+(?:\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;

/**
 * A memory quantity as a person types it into a form (`768Mi`, `1.5Gi`, `1G`, `536870912`), in whole bytes
 * rounded up as the kubelet does, or the reason it is not one in words.
 */
export function parseMemoryQuantity(text: string): { bytes: number } | { error: string } {
  const t = text.trim();
  if (t === "") return { error: "Enter a quantity, e.g. 768Mi or 1.5Gi." };
  const m = QUANTITY.exec(t);
  if (!m) {
    const spaced = /^(\d+(?:\.\d+)?)\s+([A-Za-z]+)$/.exec(t);
    if (spaced) return { error: `No space between the number and the unit: ${spaced[1]}${spaced[2]}.` };
    const unit = /^(\d+(?:\.\d+)?)([A-Za-z]+)$/.exec(t);
    if (unit) {
      const [, n, u] = unit;
      // `m` is milli in a Kubernetes quantity: a classic typo for Mi that asks for a fraction of a byte
      if (u === "m") return { error: `${t} means ${n} thousandths of a byte (m is milli): write ${n}Mi.` };
      const proper = ["Ki", "Mi", "Gi", "Ti"].find((x) => x.toLowerCase() === u!.toLowerCase());
      if (proper) return { error: `Units are case-sensitive: write ${n}${proper}, not ${t}.` };
      const byteUnit = /^([kmgt])(i?)b$/i.exec(u!);
      if (byteUnit) {
        const letter = byteUnit[1]!;
        const unitFix = byteUnit[2] ? `${letter.toUpperCase()}i` : letter.toLowerCase() === "k" ? "k" : letter.toUpperCase();
        return { error: `Kubernetes does not write ${u}: write ${n}${unitFix}.` };
      }
    }
    return { error: `"${t}" is not a Kubernetes quantity: a number and a unit, e.g. 768Mi, 1.5Gi or 1G.` };
  }
  const bytes = Math.ceil(Number(m[1]) * SUFFIX[m[2] ?? ""]! - 1e-9);
  if (!Number.isSafeInteger(bytes)) return { error: `${t} is too large.` };
  if (bytes < Mi) return { error: `${t} is under 1Mi: no process runs in that little memory.` };
  return { bytes };
}
