import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A reverse proxy on loopback that demands one credential (a bearer token or basic user and
 * password), as an ingress or oauth-proxy in front of a real Prometheus does: 401 without it, the
 * request forwarded (without the credential) to `target` with it. It records every Authorization
 * header it was sent, so a test can prove what the client actually put on the wire.
 */
export interface AuthProxy {
  url: string;
  /** the Authorization header of every request, in order (null when absent) */
  seen: (string | null)[];
  stop(): Promise<void>;
}

export type ProxyCredential = { bearer: string } | { basic: { username: string; password: string } };

/** The exact Authorization header value the proxy accepts. */
export const expectedAuthorization = (c: ProxyCredential) =>
  "bearer" in c ? `Bearer ${c.bearer}` : `Basic ${Buffer.from(`${c.basic.username}:${c.basic.password}`).toString("base64")}`;

/** Starts the proxy on 127.0.0.1 on a free port in front of `target` (an http:// base URL). */
export async function startAuthProxy(target: string, credential: ProxyCredential): Promise<AuthProxy> {
  const upstream = new URL(target);
  const want = expectedAuthorization(credential);
  const seen: (string | null)[] = [];
  const server = http.createServer((req, res) => {
    const got = req.headers.authorization ?? null;
    seen.push(got);
    if (got !== want) {
      req.resume();
      res.writeHead(401, { "content-type": "text/plain", "www-authenticate": "bearer" in credential ? 'Bearer realm="prometheus"' : 'Basic realm="prometheus"' });
      res.end("unauthorized");
      return;
    }
    const headers = { ...req.headers, host: upstream.host };
    delete headers.authorization;
    const out = http.request({ hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on("error", (e) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`proxy: ${e.message}`);
    });
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
