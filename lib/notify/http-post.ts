import http from "node:http";
import https from "node:https";
import { checkUrl, guardedLookup, OutboundBlockedError, remoteLine, type OutboundPolicy } from "@/lib/security/outbound";

/** How a POST ended: the status the server answered, or a network failure / refusal in words. */
export type PostOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string; blocked: boolean };

/**
 * POSTs a JSON body to a user-supplied webhook URL through the outbound guard (URL check, connect-time
 * DNS check), without following redirects, within `timeoutMs`; the answer's body is read (at most a
 * few KiB) only to say what a failed one said.
 */
export function guardedPost(raw: string, body: string, q: { policy: OutboundPolicy; headers?: Record<string, string>; timeoutMs?: number }): Promise<PostOutcome> {
  const timeoutMs = q.timeoutMs ?? 10_000;
  let url: URL;
  try {
    url = checkUrl(raw, q.policy);
  } catch (e) {
    return Promise.resolve({ ok: false, status: null, error: (e as Error).message, blocked: true });
  }
  const lib = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const req = lib.request(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Headroom-Notifications/1", "content-length": Buffer.byteLength(body), ...q.headers },
      lookup: guardedLookup(q.policy) as never,
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ ok: false, status: null, error: `${url.host} did not answer within ${timeoutMs / 1000} s`, blocked: false });
    }, timeoutMs);
    req.on("error", (e: NodeJS.ErrnoException) => {
      const blocked = e instanceof OutboundBlockedError || e.code === "EHEADROOMBLOCKED";
      done({ ok: false, status: null, blocked, error: blocked ? e.message : e.code === "ECONNREFUSED" ? `connection refused by ${url.host}` : e.code === "ENOTFOUND" ? `${url.hostname} not found` : `${url.host}: ${e.code ?? "network error"}` });
    });
    req.on("response", (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size <= 4096) chunks.push(c);
      });
      res.on("end", () => {
        if (status >= 200 && status < 300) return done({ ok: true, status });
        const said = remoteLine(Buffer.concat(chunks).toString("utf8"), 120);
        done({ ok: false, status, blocked: false, error: `${url.host} answered HTTP ${status}${status >= 300 && status < 400 ? " (redirects are not followed)" : ""}${said ? `: ${said}` : ""}` });
      });
      res.on("error", () => done({ ok: false, status, blocked: false, error: `${url.host}: the answer broke off` }));
    });
    req.end(body);
  });
}

/** Whether a failed delivery is worth another attempt: network failures and 5xx (and 429) yes, a 4xx or a refused URL no. */
export const isRetryable = (o: PostOutcome) => !o.ok && !o.blocked && (o.status === null || o.status >= 500 || o.status === 429);
