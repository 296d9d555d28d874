import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "@/db/connect";
import { auditLog, clusters } from "@/db/schema";
import { createCluster, getSettings, saveSettings, testSettings } from "@/lib/clusters/manage";
import { prometheusSettingsInput, SettingsError, type PrometheusSettingsInput } from "@/lib/clusters/prometheus-settings";
import { responseForError } from "@/lib/http/errors";
import { PrometheusClient, PrometheusError } from "@/lib/metrics/prometheus-client";
import type { OutboundPolicy, Resolve } from "@/lib/security/outbound";
import { seedOrgWithAdmin } from "../support/orgs";
import { selfSignedCertificate } from "../support/tls";

// The outbound guard as an attacker meets it: through the Prometheus client, against real servers on
// loopback. Host names resolve through a DNS the test controls (the policy's resolver), so the
// connect-time check runs on the address the socket would really connect to.

const STRICT: OutboundPolicy = { allowLoopback: false, allowPrivate: false };
const LOOPBACK: OutboundPolicy = { allowLoopback: true, allowPrivate: false };
const OPEN: OutboundPolicy = { allowLoopback: true, allowPrivate: true };
const ANSWER = JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [1, "42"] }] } });

/** What one server was asked: the Host header and path of each request. */
interface Hits {
  hosts: string[];
  paths: string[];
}

/** A Prometheus stand-in: /hop/<n>/… answers 307 to /hop/<n-1>/… until n is 0, then the query's answer. */
function prometheusHandler(hits: Hits): http.RequestListener {
  return (req, res) => {
    hits.hosts.push(req.headers.host ?? "");
    hits.paths.push(req.url ?? "");
    req.resume();
    const hop = /^\/hop\/(\d+)(\/.*)$/.exec(req.url ?? "");
    if (hop && Number(hop[1]) > 0) {
      res.writeHead(307, { location: `/hop/${Number(hop[1]) - 1}${hop[2]}` });
      return res.end();
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(ANSWER);
  };
}

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

const close = (server: http.Server | https.Server) =>
  new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });

/** A DNS the test controls: each name answers its addresses, any other is not found. Records what it was asked. */
function dnsOf(zone: Record<string, string[]>): Resolve & { asked: string[] } {
  const asked: string[] = [];
  const resolve: Resolve = (hostname, _options, callback) => {
    asked.push(hostname);
    const addresses = zone[hostname];
    // answered on a later tick, as getaddrinfo does
    setImmediate(() =>
      addresses
        ? callback(null, addresses.map((address) => ({ address, family: net.isIP(address) })))
        : callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []),
    );
  };
  return Object.assign(resolve, { asked });
}

const failure = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(PrometheusError);
  return e as PrometheusError;
};

describe("outbound guard: the address a name resolves to, checked at connect time", () => {
  const hits: Hits = { hosts: [], paths: [] };
  const server = http.createServer(prometheusHandler(hits));
  let port = 0;
  beforeAll(async () => {
    port = await listen(server);
  });
  afterAll(() => close(server));

  // every test uses its own names: a kept-alive socket is reused without a new lookup
  const client = (name: string, policy: OutboundPolicy, zone: Record<string, string[]>, path = "", at = port) => {
    const dns = dnsOf(zone);
    hits.hosts.length = 0;
    hits.paths.length = 0;
    return { dns, client: new PrometheusClient({ url: `http://${name}:${at}${path}`, policy: { ...policy, lookup: dns }, timeoutMs: 3000, retries: 2 }) };
  };

  it("a name is reached at the address the DNS answers when the policy allows it (the resolver is the one connected through)", async () => {
    const { dns, client: c } = client("prometheus.example.test", LOOPBACK, { "prometheus.example.test": ["127.0.0.1"] });
    expect(await c.query("up")).toEqual([{ metric: {}, t: 1, v: 42 }]);
    expect(dns.asked).toEqual(["prometheus.example.test"]);
    expect(hits.hosts).toEqual([`prometheus.example.test:${port}`]);
  });

  it("a public-looking name that resolves to loopback is refused before any byte is sent, and the refusal is not retried", async () => {
    const { dns, client: c } = client("metrics.attacker.test", STRICT, { "metrics.attacker.test": ["127.0.0.1"] });
    const e = await failure(c.query("up"));
    expect(e.kind).toBe("blocked");
    expect(e.message).toMatch(/metrics\.attacker\.test resolves to 127\.0\.0\.1 is a loopback address \(set HEADROOM_ALLOW_LOOPBACK=true/);
    expect(hits.hosts).toEqual([]);
    expect(dns.asked).toEqual(["metrics.attacker.test"]);
    expect(c.stats.retries).toBe(0);
  });

  it("a name that resolves to the cloud metadata address is refused even when loopback and private networks are allowed", async () => {
    for (const [name, address] of [
      ["metadata.attacker.test", "169.254.169.254"],
      ["mapped.attacker.test", "::ffff:169.254.169.254"], // IPv4-mapped IPv6 answer
      ["imds6.attacker.test", "fd00:ec2::254"], // AWS IMDS over IPv6
      ["sixtofour.attacker.test", "2002:a9fe:a9fe::1"], // 6to4 around the metadata address
    ] as const) {
      const { client: c } = client(name, OPEN, { [name]: [address] });
      const e = await failure(c.query("up"));
      expect(e.kind, name).toBe("blocked");
      expect(e.message, name).toContain(`${name} resolves to `);
      expect(e.message, name).toMatch(/169\.254\.169\.254 is link-local|fd00:ec2::254 is a cloud metadata address/);
    }
  });

  it("a name that resolves to a private address is refused unless private networks are allowed", async () => {
    const { client: c } = client("db.attacker.test", LOOPBACK, { "db.attacker.test": ["10.0.0.5"] });
    const e = await failure(c.query("up"));
    expect(e.kind).toBe("blocked");
    expect(e.message).toMatch(/db\.attacker\.test resolves to 10\.0\.0\.5 is a private address \(set HEADROOM_ALLOW_PRIVATE_NETWORKS=true/);
  });

  // an address of one of this machine's own interfaces (its services listen there), not one refused
  // for another reason anyway (loopback, link-local, a documentation range as on some CI machines)
  const ownAddress = Object.values(os.networkInterfaces())
    .flatMap((l) => l ?? [])
    .map((i) => i.address)
    .find((a) => !/^(127\.|::1$|fe80:|169\.254\.|192\.0\.2\.|198\.51\.100\.|203\.0\.113\.|2001:db8:)/.test(a));

  it.skipIf(!ownAddress)("a name that resolves to this server's own interface address is refused even when loopback and private networks are allowed", async () => {
    const own = http.createServer(prometheusHandler(hits));
    await new Promise<void>((r) => own.listen(0, ownAddress, r));
    const ownPort = (own.address() as AddressInfo).port;
    try {
      const { client: c } = client("internal.attacker.test", OPEN, { "internal.attacker.test": [ownAddress!] }, "", ownPort);
      const e = await failure(c.query("up"));
      expect(e.kind).toBe("blocked");
      expect(e.message).toContain(`internal.attacker.test resolves to ${ownAddress} is an address of this server (its own services listen there)`);
      expect(hits.hosts).toEqual([]);
    } finally {
      await close(own);
    }
  });

  it("one forbidden address among the answers refuses the name, even if the connection would go to an allowed one", async () => {
    const { client: c } = client("split.attacker.test", LOOPBACK, { "split.attacker.test": ["127.0.0.1", "169.254.169.254"] });
    const e = await failure(c.query("up"));
    expect(e.kind).toBe("blocked");
    expect(e.message).toMatch(/split\.attacker\.test resolves to 169\.254\.169\.254 is link-local/);
    expect(hits.hosts).toEqual([]);
  });

  it("a redirect to a name that resolves to the metadata address is refused when it connects (the URL check lets a name through)", async () => {
    const redirecting = http.createServer((req, res) => {
      req.resume();
      const location = req.url?.startsWith("/to-metadata") ? "http://metadata.attacker.test/latest/meta-data/iam/security-credentials/" : `http://prometheus.redirected.test:${port}/api/v1/query`;
      res.writeHead(307, { location });
      res.end();
    });
    const redirectPort = await listen(redirecting);
    try {
      const zone = { "redirecting.example.test": ["127.0.0.1"], "metadata.attacker.test": ["169.254.169.254"], "prometheus.redirected.test": ["127.0.0.1"] };
      const { dns, client: c } = client("redirecting.example.test", LOOPBACK, zone, "/to-metadata", redirectPort);
      const e = await failure(c.query("up"));
      expect(e.kind).toBe("blocked");
      expect(e.message).toMatch(/metadata\.attacker\.test resolves to 169\.254\.169\.254 is link-local/);
      expect(dns.asked).toEqual(["redirecting.example.test", "metadata.attacker.test"]);
      // a redirect to a name that resolves to an allowed address is followed
      const { client: ok } = client("redirecting.example.test", LOOPBACK, zone, "/to-prometheus", redirectPort);
      expect(await ok.query("up")).toEqual([{ metric: {}, t: 1, v: 42 }]);
      expect(hits.hosts).toEqual([`prometheus.redirected.test:${port}`]);
    } finally {
      await close(redirecting);
    }
  });
});

describe("outbound guard: redirects", () => {
  const hits: Hits = { hosts: [], paths: [] };
  const server = http.createServer(prometheusHandler(hits));
  let base = "";
  beforeAll(async () => {
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  afterAll(() => close(server));

  const reset = () => {
    hits.hosts.length = 0;
    hits.paths.length = 0;
  };

  it("follows exactly 3 redirects", async () => {
    reset();
    expect(await new PrometheusClient({ url: `${base}/hop/3`, policy: LOOPBACK }).query("up")).toEqual([{ metric: {}, t: 1, v: 42 }]);
    expect(hits.paths).toEqual(["/hop/3/api/v1/query", "/hop/2/api/v1/query", "/hop/1/api/v1/query", "/hop/0/api/v1/query"]);
  });

  it("refuses a 4th redirect without following it", async () => {
    reset();
    const e = await failure(new PrometheusClient({ url: `${base}/hop/4`, policy: LOOPBACK }).query("up"));
    expect(e.message).toMatch(/more than 3 redirects/);
    expect(e.status).toBe(307);
    expect(hits.paths).toEqual(["/hop/4/api/v1/query", "/hop/3/api/v1/query", "/hop/2/api/v1/query", "/hop/1/api/v1/query"]);
  });

  it("a redirect loop ends at the cap instead of running forever", async () => {
    let loops = 0;
    const loop = http.createServer((req, res) => {
      loops++;
      req.resume();
      res.writeHead(302, { location: req.url ?? "/" });
      res.end();
    });
    const port = await listen(loop);
    try {
      const e = await failure(new PrometheusClient({ url: `http://127.0.0.1:${port}`, policy: LOOPBACK, timeoutMs: 3000 }).query("up"));
      expect(e.message).toMatch(/more than 3 redirects/);
      expect(loops).toBe(4);
    } finally {
      await close(loop);
    }
  }, 10_000);

  describe("from https", () => {
    let tls: https.Server;
    let httpsBase = "";
    let ca = "";
    beforeAll(async () => {
      const { key, cert } = selfSignedCertificate();
      ca = cert;
      tls = https.createServer({ key, cert }, (req, res) => {
        req.resume();
        // /down goes to the plain-http server (same host), /moved to this one
        const location = req.url?.startsWith("/down") ? `${base}/api/v1/query` : req.url?.startsWith("/moved") ? "/api/v1/query" : null;
        if (location) {
          res.writeHead(308, { location });
          return res.end();
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(ANSWER);
      });
      httpsBase = `https://127.0.0.1:${await listen(tls)}`;
    });
    afterAll(() => close(tls));

    it("a redirect from https to http is refused and the plain-http server is never asked", async () => {
      reset();
      const e = await failure(new PrometheusClient({ url: `${httpsBase}/down`, policy: LOOPBACK, caPem: ca, auth: { kind: "bearer", token: "s3cret" } }).query("up"));
      expect(e.kind).toBe("blocked");
      expect(e.message).toMatch(/redirect refused: from https to http/);
      expect(hits.paths).toEqual([]);
    });

    it("a redirect from https to https is followed", async () => {
      expect(await new PrometheusClient({ url: `${httpsBase}/moved`, policy: LOOPBACK, caPem: ca }).query("up")).toEqual([{ metric: {}, t: 1, v: 42 }]);
    });
  });
});

describe("outbound guard: a URL is checked when it is saved, DNS answer included", () => {
  let db: Db;
  let orgId: string;
  let userId: string;
  const env = { key: process.env.HEADROOM_SECRET_KEY };
  beforeAll(async () => {
    process.env.HEADROOM_SECRET_KEY = Buffer.alloc(32, 7).toString("base64");
    db = createDb(inject("databaseUrl"), 2);
    ({ orgId, userId } = await seedOrgWithAdmin(db, "outbound-save", "Outbound Save"));
    await createCluster(db, { orgId, userId, input: { name: "guarded", pricePerGibMonth: 3.2, currency: "USD" } });
  });
  afterAll(async () => {
    if (env.key === undefined) delete process.env.HEADROOM_SECRET_KEY;
    else process.env.HEADROOM_SECRET_KEY = env.key;
    await db?.$client.end();
  });

  const zone = {
    "metadata.attacker.test": ["169.254.169.254"],
    "db.attacker.test": ["10.0.0.5"],
    "prometheus.example.test": ["127.0.0.1"],
  };
  const form = (url: string, token = "s3cret-token"): PrometheusSettingsInput => ({ url, auth: { kind: "bearer", token }, headers: [], skipVerify: false });
  /** The 400 a refused save answers, as the route sends it. */
  const refusal = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(SettingsError);
    const res = responseForError(e);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; issues: { path: string; message: string }[] };
    expect(body.issues).toHaveLength(1);
    expect(body.issues[0]!.path).toBe("url");
    return body.issues[0]!.message;
  };
  const stored = async () => (await db.select().from(clusters).where(eq(clusters.orgId, orgId)))[0]!;

  it("refuses a name that resolves to the metadata address (or a private one), asking the resolver connections use; nothing is stored", async () => {
    const dns = dnsOf(zone);
    const save = (url: string, policy: OutboundPolicy) => saveSettings(db, { orgId, userId, slug: "guarded", input: form(url), policy: { ...policy, lookup: dns } });
    expect(await refusal(save("http://metadata.attacker.test:9090", OPEN))).toBe(
      "refused to connect to http://metadata.attacker.test:9090: metadata.attacker.test resolves to 169.254.169.254 is link-local (169.254.0.0/16, where the cloud metadata service lives)",
    );
    expect(await refusal(save("https://db.attacker.test/prom", LOOPBACK))).toMatch(/db\.attacker\.test resolves to 10\.0\.0\.5 is a private address \(set HEADROOM_ALLOW_PRIVATE_NETWORKS=true/);
    expect(dns.asked).toEqual(["metadata.attacker.test", "db.attacker.test"]);
    const row = await stored();
    expect(row.prometheusUrl).toBeNull();
    expect(row.prometheusSecretEnc).toBeNull();
    expect(await db.select().from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, "cluster.prometheus.update")))).toEqual([]);
  });

  it("refuses a refused address in the URL itself, which the old form let through to the first sync", async () => {
    const save = (url: string) => saveSettings(db, { orgId, userId, slug: "guarded", input: form(url), policy: OPEN });
    expect(await refusal(save("http://169.254.169.254/latest/meta-data/"))).toMatch(/169\.254\.169\.254 is link-local/);
    expect(await refusal(save("http://[::ffff:a9fe:a9fe]/"))).toMatch(/169\.254\.169\.254 is link-local/);
    expect(await refusal(save("http://192.0.2.1:9090"))).toMatch(/192\.0\.2\.1 is not a routable address \(192\.0\.2\.0\/24/);
    expect((await stored()).prometheusUrl).toBeNull();
  });

  it("refuses a credential in the query string (and user:password@), on the form and at save, without echoing it", async () => {
    for (const url of ["https://prometheus.example.test/?access_token=abc123secret", "https://prometheus.example.test/?tenant=a&API_KEY=abc123secret"]) {
      const parsed = prometheusSettingsInput.safeParse(form(url));
      expect(parsed.success, url).toBe(false);
      expect(parsed.error!.issues.map((i) => [i.path.join("."), i.message]), url).toEqual([["url", expect.stringMatching(/^the query string carries a credential \((access_token|API_KEY)\): put it in the authentication settings or a custom header, which are stored encrypted/)]]);
      const message = await refusal(saveSettings(db, { orgId, userId, slug: "guarded", input: form(url), policy: OPEN }));
      expect(message).toMatch(/^refused to connect to the URL: the query string carries a credential/);
      expect(message).not.toContain("abc123secret");
    }
    const userinfo = prometheusSettingsInput.safeParse(form("https://user:pw@prometheus.example.test/"));
    expect(userinfo.error!.issues.map((i) => i.path.join("."))).toEqual(["url"]);
    expect(await refusal(saveSettings(db, { orgId, userId, slug: "guarded", input: form("https://user:pw@prometheus.example.test/"), policy: OPEN }))).toBe(
      "refused to connect to the URL: credentials in the URL are not allowed (use the auth settings)",
    );
    expect((await stored()).prometheusUrl).toBeNull();
  });

  it("saves a name that resolves to an allowed address, and one that does not resolve (the connect-time check judges it then)", async () => {
    const dns = dnsOf(zone);
    const view = await saveSettings(db, { orgId, userId, slug: "guarded", input: form("http://prometheus.example.test:9090/"), policy: { ...LOOPBACK, lookup: dns } });
    expect(view).toMatchObject({ url: "http://prometheus.example.test:9090", authKind: "bearer", hasSecret: true });
    await saveSettings(db, { orgId, userId, slug: "guarded", input: form("http://not-yet.example.test:9090"), policy: { ...STRICT, lookup: dns } });
    expect((await getSettings(db, { orgId, slug: "guarded" }))!.url).toBe("http://not-yet.example.test:9090");
    expect(dns.asked).toEqual(["prometheus.example.test", "not-yet.example.test"]);
  });
});

describe("Test connection: before saving, and never echoing a foreign server's body", () => {
  let db: Db;
  let orgId: string;
  let userId: string;
  let base = "";
  const env = { key: process.env.HEADROOM_SECRET_KEY };
  const MARKER = "SECRET-BODY-MARKER";
  // an HTML error page, long, with control characters, escape sequences, a bidi override and CRLFs
  const page = `<!DOCTYPE html>\r\n<html><head><title>502 Bad Gateway</title></head>\r\n<body>\u0000\u0007\u001b[31m${MARKER}\u202e\n${"<p>upstream connect error or disconnect/reset before headers</p>\n".repeat(800)}</body></html>`;
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    req.resume();
    const [, mode, rest] = /^\/([^/]+)(\/.*)$/.exec(req.url ?? "") ?? [];
    if (mode === "html") {
      res.writeHead(502, `Bad Gateway ${"x".repeat(3000)}`, { "content-type": "text/html" });
      return res.end(page);
    }
    if (mode === "login") {
      res.writeHead(401, { "content-type": "text/html", "www-authenticate": "Basic" });
      return res.end(`<html><body><form>${MARKER}</form>${"<input>".repeat(500)}</body></html>`);
    }
    // a JSON error that only looks like Prometheus': an errorType Prometheus never sends
    if (mode === "fake") return json(res, 500, { status: "error", errorType: "<script>alert(1)</script>", error: `${MARKER}\n${"y".repeat(4000)}` });
    // Prometheus' own error answers, with a long message over several lines with escape sequences
    const long = `query processing would load too many samples into memory\n\u001b[2J\u0000${"in query execution; ".repeat(300)}`;
    if (mode === "prom5xx") return json(res, 503, { status: "error", errorType: "internal", error: long });
    if (mode === "prom200") return json(res, 200, { status: "error", errorType: "execution", error: long });
    // answers every query (with no series) and a version string full of markup and control characters
    if (rest?.startsWith("/api/v1/status/buildinfo")) return json(res, 200, { status: "success", data: { version: `2.53.0\n\u001b[31m<b>${MARKER}</b>${"v".repeat(500)}` } });
    if (rest?.startsWith("/api/v1/query_range")) return json(res, 200, { status: "success", data: { resultType: "matrix", result: [] } });
    return json(res, 200, { status: "success", data: { resultType: "vector", result: [] } });
  });

  beforeAll(async () => {
    process.env.HEADROOM_SECRET_KEY = Buffer.alloc(32, 8).toString("base64");
    base = `http://127.0.0.1:${await listen(server)}`;
    db = createDb(inject("databaseUrl"), 2);
    ({ orgId, userId } = await seedOrgWithAdmin(db, "outbound-test-button", "Outbound Test Button"));
    // a cluster just added: its endpoint was never saved
    await createCluster(db, { orgId, userId, input: { name: "fresh", pricePerGibMonth: 3.2, currency: "USD" } });
  });
  afterAll(async () => {
    if (env.key === undefined) delete process.env.HEADROOM_SECRET_KEY;
    else process.env.HEADROOM_SECRET_KEY = env.key;
    await close(server);
    await db?.$client.end();
  });

  const test = async (path: string) => {
    const report = await testSettings(db, { orgId, userId, slug: "fresh", input: { url: `${base}${path}`, auth: { kind: "bearer", token: "t0ken" }, headers: [], skipVerify: false }, policy: LOOPBACK });
    expect(report).not.toBeNull();
    return report!;
  };
  /** One line, no control or bidi characters, nothing of the body, and the server's part at most 200 characters. */
  const expectShortLine = (error: string | null, endpoint: string) => {
    expect(error).not.toBeNull();
    expect(error!).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e]/);
    expect(error!).not.toContain(MARKER);
    expect(error!).not.toMatch(/<html|<p>|<script|<form|xxxxxxxxxx|\[2J/i);
    expect(error!.startsWith(`${endpoint}: `)).toBe(true);
    expect(error!.length - endpoint.length - 2).toBeLessThanOrEqual(200);
  };

  it("an HTML error page is reduced to its status and standard reason (not the server's reason phrase)", async () => {
    const report = await test("/html");
    expect(report.ok).toBe(false);
    expect(report.error).toBe(`${base}/html/api/v1/status/buildinfo: HTTP 502 bad gateway`);
    expectShortLine(report.error, `${base}/html/api/v1/status/buildinfo`);
  });

  it("a login page answering 401 says only that, and to check the credentials", async () => {
    const report = await test("/login");
    expect(report.error).toBe(`${base}/login/api/v1/status/buildinfo: HTTP 401 unauthorized (check the credentials)`);
  });

  it("a JSON error with an errorType Prometheus never sends is a status line too", async () => {
    const report = await test("/fake");
    expect(report.error).toBe(`${base}/fake/api/v1/status/buildinfo: HTTP 500 internal server error`);
  });

  it("Prometheus' own error answers keep their words, cut to one line of at most 200 characters", async () => {
    const fiveHundred = await test("/prom5xx");
    expect(fiveHundred.error).toMatch(/: HTTP 503 internal: query processing would load too many samples into memory in query execution; .*…$/);
    expectShortLine(fiveHundred.error, `${base}/prom5xx/api/v1/status/buildinfo`);
    const inBody = await test("/prom200");
    expect(inBody.error).toMatch(/: execution: query processing would load too many samples into memory in query execution; .*…$/);
    expectShortLine(inBody.error, `${base}/prom200/api/v1/status/buildinfo`);
  });

  it("tests a cluster's unsaved form (nothing stored but the audit trace), and shows only one short line of the server's version", async () => {
    const report = await test("/ok");
    expect(report.error).toMatch(/^Missing: /);
    expect(report.version).toMatch(/^2\.53\.0 <b>SECRET/);
    expect(report.version!.length).toBeLessThanOrEqual(64);
    expect(report.version).not.toMatch(/[\u0000-\u001f]/);
    const [row] = await db.select().from(clusters).where(and(eq(clusters.orgId, orgId), eq(clusters.slug, "fresh")));
    expect(row!.prometheusUrl).toBeNull();
    expect(row!.prometheusSecretEnc).toBeNull();
    const trace = await db.select().from(auditLog).where(eq(auditLog.orgId, orgId));
    expect(new Set(trace.map((a) => a.action))).toEqual(new Set(["cluster.create", "cluster.prometheus.test"]));
    expect(JSON.stringify(trace)).not.toContain("t0ken");
  });
});
