import http from "node:http";
import https from "node:https";
import { checkUrl, guardedLookup, OutboundBlockedError, type OutboundPolicy } from "./outbound";

export class OutboundFetchError extends Error {
  /** the HTTP status the server answered, when it answered one other than 200 */
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/**
 * GET a JSON document from a user-supplied URL through the outbound guard (URL check, connect-time
 * DNS check), no redirects, a size cap and a timeout. Errors say what went wrong in one short line
 * and never echo the foreign server's body.
 */
export interface GuardedGetOptions {
  timeoutMs?: number;
  maxBytes?: number;
  /** extra request headers (e.g. Authorization for a Kubernetes API server) */
  headers?: Record<string, string>;
  /** TLS for https: the CA to trust, a client certificate and key, or no verification at all */
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean };
  /** counts the bytes received, for a budget over many requests */
  received?: { bytes: number };
}

export async function guardedGetJson(raw: string, policy: OutboundPolicy, opts: GuardedGetOptions = {}): Promise<unknown> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBytes = opts.maxBytes ?? 256 * 1024;
  const url = checkUrl(raw, policy);
  const lib = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message: string, status?: number) => {
      // a promise settles once: these guards only save a second reject (equivalent mutants)
      // Stryker disable next-line ConditionalExpression: a second reject of a settled promise is ignored
      if (settled) return;
      // Stryker disable next-line BooleanLiteral: as above
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(new OutboundFetchError(message, status));
    };
    const tls = url.protocol === "https:" && opts.tls ? { ca: opts.tls.ca || undefined, cert: opts.tls.cert || undefined, key: opts.tls.key || undefined, rejectUnauthorized: opts.tls.rejectUnauthorized ?? true } : {};
    const req = lib.request(url, { method: "GET", headers: { ...opts.headers, accept: "application/json" }, lookup: guardedLookup(policy) as never, ...tls });
    const timer = setTimeout(() => fail(`${url.host} did not answer within ${timeoutMs / 1000} s`), timeoutMs);
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (e instanceof OutboundBlockedError || e.code === "EHEADROOMBLOCKED") return fail(e.message);
      fail(e.code === "ECONNREFUSED" ? `connection refused by ${url.host}` : e.code === "ENOTFOUND" ? `${url.hostname} not found` : `${url.host}: ${e.code ?? "network error"}`);
    });
    req.on("response", (res) => {
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        res.resume();
        return fail(`${url.host} answered HTTP ${status}${status >= 300 && status < 400 ? " (redirects are not followed)" : ""}`, status);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (opts.received) opts.received.bytes += c.length;
        if (size > maxBytes) return fail(`${url.host} answered more than ${maxBytes} bytes`);
        chunks.push(c);
      });
      res.on("end", () => {
        // Stryker disable next-line ConditionalExpression: after a failure (size cap) the promise is settled; resolving again is ignored
        if (settled) return;
        // Stryker disable next-line BooleanLiteral: as above
        settled = true;
        clearTimeout(timer);
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch {
          reject(new OutboundFetchError(`${url.host} did not answer JSON`));
        }
      });
      res.on("error", () => fail(`${url.host}: the answer broke off`));
    });
    req.end();
  });
}
