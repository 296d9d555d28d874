/** A uniform number in [0, 1) determined only by the integers given (stateless, so any window of a series agrees). */
export function hashUnit(...parts: number[]): number {
  let h = 0x9e3779b9 | 0;
  for (const p of parts) {
    // split the number into two 32-bit halves so large timestamps and seeds both count
    const lo = p | 0;
    const hi = Math.floor(p / 4294967296) | 0;
    h = Math.imul(h ^ lo, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h = Math.imul(h ^ hi, 0x27d4eb2f);
    h ^= h >>> 16;
  }
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 4294967296;
}

/** A number in [-1, 1) from the integers given. */
export const hashSigned = (...parts: number[]) => hashUnit(...parts) * 2 - 1;

/** A stable 32-bit seed from a string (FNV-1a). */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A deterministic RFC 4122-shaped id (used for pod uids of simulated pods). */
export function stableUuid(text: string): string {
  const hex = [0, 1, 2, 3].map((i) => seedOf(`${text}#${i}`).toString(16).padStart(8, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
