/**
 * POSIX-shell quoting for every command Headroom prints (contract: "safe to paste"): a word made only
 * of letters, digits and `._-/=:,` is written as is, anything else is single-quoted with `'` written
 * `'\''`. Inside single quotes a POSIX shell expands nothing, so no name can start another command.
 */
const PLAIN = /^[A-Za-z0-9._\-/=:,]+$/;

/** One shell word for `value`, quoted only when it needs to be. */
export function shellQuote(value: string): string {
  return PLAIN.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A command line from its words, each quoted as needed. */
export const shellJoin = (words: string[]) => words.map(shellQuote).join(" ");
