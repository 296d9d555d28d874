/** The client's address as the nearest proxy reports it (first X-Forwarded-For hop, else X-Real-IP), trimmed; null when unknown. */
export function clientIp(headers: Headers): string | null {
  const first = headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip")?.trim();
  return first && /^[0-9a-fA-F:.]{2,45}$/.test(first) ? first : null;
}
