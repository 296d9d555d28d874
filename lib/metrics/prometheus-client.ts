import { formatMeasured } from "@/lib/analysis/quantity";
import http from "node:http";
import https from "node:https";
import { STATUS_CODES } from "node:http";
import { checkUrl, guardedLookup, OutboundBlockedError, policyFromEnv, remoteLine, type OutboundPolicy } from "@/lib/security/outbound";

/**
 * A client for the Prometheus HTTP API (also Thanos, Mimir, VictoriaMetrics, Cortex). Queries go as
 * POST forms, so a regex of hundreds of pods never hits a URL length limit. Every request passes the
 * outbound guard (URL, resolved address, each redirect), has a timeout and a response-size cap, and
 * is retried with exponential backoff and jitter on 5xx and network errors (never on 4xx, whose
 * answer would not change, and never on a timeout, which would only multiply the wait).
 */

export type PrometheusAuth = { kind: "none" } | { kind: "bearer"; token: string } | { kind: "basic"; username: string; password: string };

export interface PrometheusConfig {
  /** Base URL of the API, with any path prefix: https://prom.example.com, https://mimir.example.com/prometheus */
  url: string;
  auth?: PrometheusAuth;
  /** Extra headers sent with every request, e.g. X-Scope-OrgID for Mimir */
  headers?: Record<string, string>;
  /** PEM of the CA that signed the server's certificate, when not a public one */
  caPem?: string | null;
  skipVerify?: boolean;
  timeoutMs?: number;
  retries?: number;
  maxResponseBytes?: number;
  policy?: OutboundPolicy;
}

export type PrometheusErrorKind = "blocked" | "network" | "timeout" | "http" | "query" | "too_large" | "bad_response" | "bad_request";

export class PrometheusError extends Error {
  constructor(
    readonly kind: PrometheusErrorKind,
    readonly endpoint: string,
    message: string,
    readonly status?: number,
    /** a network failure worth retrying (reset, refused, DNS hiccup), not a certificate problem */
    readonly transient = false,
  ) {
    super(`${endpoint}: ${message}`);
    this.name = "PrometheusError";
  }
}

export interface Sample {
  t: number;
  v: number;
}
export interface RangeSeries {
  metric: Record<string, string>;
  t: Float64Array;
  v: Float64Array;
}
export interface InstantSample {
  metric: Record<string, string>;
  t: number;
  v: number;
}

/** Counters of what the client did, for the bench and the connection test. */
export interface ClientStats {
  requests: number;
  retries: number;
  bytes: number;
}

const DEFAULTS = { timeoutMs: 30_000, retries: 2, maxResponseBytes: 128 * 1024 * 1024 };
const MAX_REDIRECTS = 3;

type ApiBody = { status: "success"; data: unknown; warnings?: string[] } | { status: "error"; errorType?: string; error?: string };

export class PrometheusClient {
  readonly stats: ClientStats = { requests: 0, retries: 0, bytes: 0 };
  private readonly base: URL;
  private readonly policy: OutboundPolicy;
  private readonly cfg: Required<Pick<PrometheusConfig, "timeoutMs" | "retries" | "maxResponseBytes">> & PrometheusConfig;

  constructor(cfg: PrometheusConfig) {
    this.policy = cfg.policy ?? policyFromEnv();
    this.cfg = { ...DEFAULTS, ...cfg };
    try {
      this.base = checkUrl(cfg.url.replace(/\/+$/, ""), this.policy);
    } catch (e) {
      throw new PrometheusError("blocked", redact(cfg.url), e instanceof OutboundBlockedError ? `refused: ${e.reason}` : (e as Error).message);
    }
  }

  /** The URL the server is reached at, for messages. */
  get url() {
    return this.base.toString().replace(/\/$/, "");
  }

  /** Instant query at `time` (unix seconds; now when absent). */
  async query(promql: string, time?: number): Promise<InstantSample[]> {
    const data = await this.call("/api/v1/query", { query: promql, ...(time !== undefined ? { time: String(time) } : {}) });
    return parseVector(data, this.endpoint("/api/v1/query"));
  }

  /**
   * Range query; Prometheus refuses more than 11,000 points per series, so callers pick `step`
   * accordingly. The steps are exactly start, start + step, …: VictoriaMetrics moves a range of 50
   * steps or more onto multiples of the step (for its cache) unless told `nocache=1`, which the other
   * servers ignore.
   */
  async queryRange(promql: string, start: number, end: number, step: number): Promise<RangeSeries[]> {
    const data = await this.call("/api/v1/query_range", { query: promql, start: String(start), end: String(end), step: `${step}s`, nocache: "1" });
    return parseMatrix(data, this.endpoint("/api/v1/query_range"));
  }

  /** Label sets of the series matching any of the selectors. */
  async series(match: string[], start?: number, end?: number): Promise<Record<string, string>[]> {
    const form = new URLSearchParams();
    for (const m of match) form.append("match[]", m);
    if (start !== undefined) form.set("start", String(start));
    if (end !== undefined) form.set("end", String(end));
    const data = await this.call("/api/v1/series", form);
    if (!Array.isArray(data)) throw new PrometheusError("bad_response", this.endpoint("/api/v1/series"), "expected a list of label sets");
    return data as Record<string, string>[];
  }

  /** Values of one label (optionally among the series matching selectors). */
  async labelValues(label: string, match: string[] = []): Promise<string[]> {
    const qs = new URLSearchParams();
    for (const m of match) qs.append("match[]", m);
    const path = `/api/v1/label/${encodeURIComponent(label)}/values`;
    const data = await this.call(path, qs, "GET");
    if (!Array.isArray(data)) throw new PrometheusError("bad_response", this.endpoint(path), "expected a list of values");
    return data as string[];
  }

  /** The server's build information, used by the connection test (absent on some compatible servers). */
  async buildInfo(): Promise<Record<string, string> | null> {
    try {
      return (await this.call("/api/v1/status/buildinfo", new URLSearchParams(), "GET")) as Record<string, string>;
    } catch (e) {
      if (e instanceof PrometheusError && (e.kind === "http" || e.kind === "query") && e.status === 404) return null;
      throw e;
    }
  }

  private endpoint(path: string) {
    return `${this.url}${path}`;
  }

  private async call(path: string, params: Record<string, string> | URLSearchParams, method: "GET" | "POST" = "POST"): Promise<unknown> {
    const form = params instanceof URLSearchParams ? params : new URLSearchParams(params);
    const endpoint = this.endpoint(path);
    let attempt = 0;
    for (;;) {
      try {
        // set the path on a copy of the base: a path can never change the host (a base path of
        // "//169.254.169.254" resolved as a relative URL would)
        const target = new URL(this.base.href);
        target.pathname = `${this.base.pathname.replace(/\/+$/, "")}${path}`;
        if (target.origin !== this.base.origin) throw new PrometheusError("blocked", endpoint, "the URL path would leave the configured host");
        const body = await this.request(target, method, form, endpoint);
        if (body.status !== "success") throw new PrometheusError("query", endpoint, `${body.errorType ?? "error"}: ${body.error ?? "no message"}`);
        return body.data;
      } catch (e) {
        // an error thrown before any I/O (an invalid header value…) will not heal: not retried
        const err = e instanceof PrometheusError ? e : new PrometheusError("bad_request", endpoint, (e as Error).message);
        // Prometheus answering 503 "timeout" means the query is too heavy: repeating it only adds load
        const retryable = (err.kind === "network" && err.transient) || (err.kind === "http" && (err.status ?? 0) >= 500 && !/\btimeout\b/i.test(err.message));
        if (!retryable || attempt >= this.cfg.retries) throw err;
        attempt++;
        this.stats.retries++;
        // exponential backoff with full jitter: 0..(200ms · 2^attempt)
        await new Promise((r) => setTimeout(r, Math.random() * 200 * 2 ** attempt));
      }
    }
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = { accept: "application/json", "user-agent": "headroom/0.1", ...(this.cfg.headers ?? {}) };
    const auth = this.cfg.auth;
    if (auth?.kind === "bearer") h.authorization = `Bearer ${auth.token}`;
    if (auth?.kind === "basic") h.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
    return h;
  }

  private request(url: URL, method: "GET" | "POST", form: URLSearchParams, endpoint: string, redirects = 0, sameOrigin = true): Promise<ApiBody> {
    const payload = form.toString();
    const target = new URL(url);
    if (method === "GET" && payload) target.search = payload;
    const lib = target.protocol === "https:" ? https : http;
    const headers = sameOrigin ? this.headers() : { accept: "application/json", "user-agent": "headroom/0.1" } as Record<string, string>;
    if (method === "POST") {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    this.stats.requests++;
    return new Promise<ApiBody>((resolve, reject) => {
      let settled = false;
      const fail = (e: PrometheusError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(e);
      };
      const req = lib.request(target, {
        method,
        headers,
        lookup: guardedLookup(this.policy) as never,
        ...(target.protocol === "https:" ? { ca: this.cfg.caPem || undefined, rejectUnauthorized: !this.cfg.skipVerify } : {}),
      });
      const timer = setTimeout(() => fail(new PrometheusError("timeout", endpoint, `no complete answer within ${this.cfg.timeoutMs / 1000} s`)), this.cfg.timeoutMs);
      req.on("error", (e: NodeJS.ErrnoException) => {
        if (e instanceof OutboundBlockedError || e.code === "EHEADROOMBLOCKED") return fail(new PrometheusError("blocked", endpoint, e.message));
        const what = e.code === "ECONNREFUSED" ? "connection refused (is Prometheus running at this address?)" : e.code === "ENOTFOUND" ? "host not found" : e.message;
        const transient = ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EAI_AGAIN", "EPIPE", "ENETUNREACH", "EHOSTUNREACH", "UND_ERR_SOCKET"].includes(e.code ?? "");
        fail(new PrometheusError("network", endpoint, what, undefined, transient));
      });
      req.on("response", (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          if (redirects >= MAX_REDIRECTS) return fail(new PrometheusError("http", endpoint, `more than ${MAX_REDIRECTS} redirects`, status));
          let next: URL;
          try {
            next = checkUrl(new URL(res.headers.location, target).toString(), this.policy);
          } catch (e) {
            return fail(new PrometheusError("blocked", endpoint, `redirect refused: ${(e as Error).message}`));
          }
          if (target.protocol === "https:" && next.protocol === "http:") return fail(new PrometheusError("blocked", endpoint, "redirect refused: from https to http"));
          settled = true;
          clearTimeout(timer);
          // 307/308 keep the method and body; the others turn into a GET, as browsers do
          const keep = status === 307 || status === 308;
          next.search = "";
          // credentials and custom headers go only to the configured origin
          this.request(next, keep ? method : "GET", form, endpoint, redirects + 1, next.origin === this.base.origin).then(resolve, reject);
          return;
        }
        const declared = Number(res.headers["content-length"] ?? NaN);
        if (declared > this.cfg.maxResponseBytes) return fail(tooLarge(endpoint, this.cfg.maxResponseBytes));
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > this.cfg.maxResponseBytes) return fail(tooLarge(endpoint, this.cfg.maxResponseBytes));
          chunks.push(c);
        });
        res.on("error", (e) => fail(new PrometheusError("network", endpoint, e.message)));
        res.on("end", () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          this.stats.bytes += size;
          const text = Buffer.concat(chunks).toString("utf8");
          let body: ApiBody | null = null;
          try {
            body = JSON.parse(text) as ApiBody;
          } catch {
            body = null;
          }
          if (status >= 200 && status < 300) {
            if (!body || typeof body !== "object" || !("status" in body)) return reject(new PrometheusError("bad_response", endpoint, `HTTP ${status} but the body is not a Prometheus API answer (is this URL the Prometheus API?)`));
            return resolve(body);
          }
          // a foreign server's body is never echoed: a Prometheus API error keeps its words (one sanitized line), anything else is the status's standard reason
          const detail = body && body.status === "error" ? remoteLine(`${body.errorType ?? "error"}: ${body.error ?? ""}`) : (STATUS_CODES[status] ?? "").toLowerCase();
          const hint = status === 401 || status === 403 ? " (check the credentials)" : status === 404 ? " (is the URL the Prometheus API base, e.g. without /graph?)" : "";
          reject(new PrometheusError(status >= 400 && status < 500 && body?.status === "error" ? "query" : "http", endpoint, `HTTP ${status} ${detail}${hint}`.trim(), status));
        });
      });
      if (method === "POST") req.write(payload);
      req.end();
    });
  }
}

/** A URL for messages: no credentials, no query. */
function redact(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.origin}${u.pathname}`.replace(/\/$/, "");
  } catch {
    return "the configured URL";
  }
}

const tooLarge = (endpoint: string, max: number) =>
  new PrometheusError("too_large", endpoint, `the answer is larger than ${formatMeasured(max)}: narrow the query (fewer series or a coarser step)`);

function parseVector(data: unknown, endpoint: string): InstantSample[] {
  const d = data as { resultType?: string; result?: { metric: Record<string, string>; value: [number, string] }[] };
  if (d?.resultType === "scalar") return [{ metric: {}, t: Number((d.result as unknown as [number, string])[0]), v: Number((d.result as unknown as [number, string])[1]) }];
  if (d?.resultType !== "vector" || !Array.isArray(d.result)) throw new PrometheusError("bad_response", endpoint, `expected a vector, got ${d?.resultType ?? "nothing"}`);
  return d.result.map((r) => ({ metric: r.metric, t: Number(r.value[0]), v: Number(r.value[1]) }));
}

function parseMatrix(data: unknown, endpoint: string): RangeSeries[] {
  const d = data as { resultType?: string; result?: { metric: Record<string, string>; values: [number, string][] }[] };
  if (d?.resultType !== "matrix" || !Array.isArray(d.result)) throw new PrometheusError("bad_response", endpoint, `expected a matrix, got ${d?.resultType ?? "nothing"}`);
  return d.result.map((r) => {
    const n = r.values.length;
    const t = new Float64Array(n);
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      t[i] = Number(r.values[i]![0]);
      v[i] = Number(r.values[i]![1]);
    }
    return { metric: r.metric, t, v };
  });
}
