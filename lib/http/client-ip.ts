/**
 * The client's address, for rate limits and the audit log: the X-Forwarded-For entry appended by the
 * outermost trusted proxy, counted from the right (HEADROOM_TRUSTED_PROXIES, default 1: one load
 * balancer or ingress in front). Entries further left were written by the client and are ignored.
 */
export function clientIp(headers: Headers, trustedProxies = Number(process.env.HEADROOM_TRUSTED_PROXIES ?? 1)): string | null {
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const n = Number.isInteger(trustedProxies) && trustedProxies > 0 ? trustedProxies : 1;
  const candidate = hops.length ? hops[Math.max(0, hops.length - n)] : headers.get("x-real-ip")?.trim();
  return candidate && /^[0-9a-fA-F:.]{2,45}$/.test(candidate) ? candidate : null;
}
