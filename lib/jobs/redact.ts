/**
 * An error message fit to show an organization's admins: credentials in URLs (user:password@),
 * query strings, bearer/basic tokens and key=value secrets are masked, and the text is capped.
 */
export function redactError(message: string, maxLength = 500): string {
  const text = message
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, "$1***@")
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#]+)\?[^\s#]*/gi, "$1?…")
    .replace(/\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{6,}/gi, "$1 ***")
    .replace(/\b(password|passwd|secret|token|api[_-]?key|authorization)(["']?\s*[:=]\s*["']?)(?!(?:bearer|basic)\s)[^\s"',;&]+/gi, "$1$2***");
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
