import { formatMeasured } from "@/lib/analysis/quantity";
import { guardedGetJson, OutboundFetchError } from "@/lib/security/outbound-fetch";
import type { OutboundPolicy } from "@/lib/security/outbound";
import type { KubeConnection } from "./direct-settings";

/** A read of the API server that failed, in one line for the cluster's pages (never the server's body). */
export class KubeReadError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/** What Headroom lists in direct mode, with the API path of each (read-only: get/list). */
export const DIRECT_RESOURCES = {
  namespaces: "/api/v1/namespaces",
  nodes: "/api/v1/nodes",
  pods: "/api/v1/pods",
  events: "/api/v1/events?fieldSelector=reason%3DSystemOOM",
  replicasets: "/apis/apps/v1/replicasets",
  deployments: "/apis/apps/v1/deployments",
  statefulsets: "/apis/apps/v1/statefulsets",
  daemonsets: "/apis/apps/v1/daemonsets",
  jobs: "/apis/batch/v1/jobs",
  cronjobs: "/apis/batch/v1/cronjobs",
} as const;
export type DirectResource = keyof typeof DIRECT_RESOURCES;

export interface KubeReaderOptions {
  /** per request */
  timeoutMs?: number;
  /** per page of a list (500 objects) */
  maxPageBytes?: number;
  /** a list stops with an error beyond this many objects */
  maxItems?: number;
  /** all the reader's requests together: bytes received, and a wall-clock budget (a hostile server cannot hold the process) */
  maxTotalBytes?: number;
  deadlineMs?: number;
}

/**
 * Reads a Kubernetes API server with a stored connection, every request through the outbound guard
 * (the URL and the address it resolves to), no redirects, capped in time and size. Lists are read in
 * pages of 500 with `continue`.
 */
export class KubeReader {
  private readonly timeoutMs: number;
  private readonly maxPageBytes: number;
  private readonly maxItems: number;
  private readonly maxTotalBytes: number;
  private readonly deadline: number;
  private readonly received = { bytes: 0 };

  constructor(private readonly c: KubeConnection, private readonly policy: OutboundPolicy, o: KubeReaderOptions = {}) {
    this.timeoutMs = o.timeoutMs ?? 15_000;
    this.maxPageBytes = o.maxPageBytes ?? 32 * 1024 * 1024;
    this.maxItems = o.maxItems ?? 200_000;
    this.maxTotalBytes = o.maxTotalBytes ?? 512 * 1024 * 1024;
    this.deadline = Date.now() + (o.deadlineMs ?? 110_000);
  }

  async get(path: string): Promise<unknown> {
    const cred = this.c.credential;
    if (this.received.bytes > this.maxTotalBytes) throw new KubeReadError(`the API server sent more than ${formatMeasured(this.maxTotalBytes)} in one read: narrow it or use the in-cluster agent`);
    const left = this.deadline - Date.now();
    if (left <= 0) throw new KubeReadError("the read of the API server took too long: narrow it or use the in-cluster agent");
    try {
      return await guardedGetJson(this.c.serverUrl + path, this.policy, {
        timeoutMs: Math.min(this.timeoutMs, left),
        maxBytes: this.maxPageBytes,
        received: this.received,
        headers: cred.kind === "token" ? { authorization: `Bearer ${cred.token}` } : {},
        tls: { ca: this.c.caPem ?? undefined, rejectUnauthorized: !this.c.skipVerify, ...(cred.kind === "cert" ? { cert: cred.cert, key: cred.key } : {}) },
      });
    } catch (e) {
      // a request cut short by the read's deadline is the deadline's doing, said as such
      if (Date.now() >= this.deadline) throw new KubeReadError("the read of the API server took too long: narrow it or use the in-cluster agent");
      if (e instanceof OutboundFetchError) {
        const resource = path.split("?")[0];
        if (e.status === 401) throw new KubeReadError(`the API server refused the credential (HTTP 401): the token expired or was revoked`, 401);
        if (e.status === 403) throw new KubeReadError(`the credential may not read ${resource} (HTTP 403): its ClusterRole needs get, list and watch on it`, 403);
        if (e.status === 404) throw new KubeReadError(`${resource} is not served by this API server (HTTP 404)`, 404);
        throw new KubeReadError(e.message, e.status);
      }
      throw new KubeReadError((e as Error).message);
    }
  }

  /** Every object of a list, page by page. */
  async list<T = Record<string, unknown>>(resource: DirectResource): Promise<T[]> {
    const base = DIRECT_RESOURCES[resource];
    const sep = base.includes("?") ? "&" : "?";
    const items: T[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = (await this.get(`${base}${sep}limit=500${token ? `&continue=${encodeURIComponent(token)}` : ""}`)) as { kind?: string; items?: T[]; metadata?: { continue?: string } };
      if (!page || !Array.isArray(page.items)) throw new KubeReadError(`${base.split("?")[0]} did not answer a Kubernetes list`);
      items.push(...page.items);
      if (items.length > this.maxItems) throw new KubeReadError(`more than ${this.maxItems} ${resource}: narrow the namespaces or use the in-cluster agent`);
      token = page.metadata?.continue || undefined;
      // a real API server's continue tokens move forward, and a page before the last one is never empty
      if (token && (seen.has(token) || page.items.length === 0)) throw new KubeReadError(`${base.split("?")[0]} did not page forward (a repeated or empty page)`);
      if (token) seen.add(token);
    } while (token);
    return items;
  }

  /** The server's version (gitVersion), the cheapest authenticated request. */
  async version(): Promise<string | null> {
    const v = (await this.get("/version")) as { gitVersion?: unknown } | null;
    return typeof v?.gitVersion === "string" ? v.gitVersion.slice(0, 64) : null;
  }
}

export interface KubeCheck {
  resource: DirectResource;
  ok: boolean;
  error: string | null;
}

export interface KubeConnectionReport {
  ok: boolean;
  version: string | null;
  checks: KubeCheck[];
  error: string | null;
}

/** Tests a connection: the version, then one object of each list Headroom reads (RBAC shows here). */
export async function testKubeConnection(c: KubeConnection, policy: OutboundPolicy, o: KubeReaderOptions = {}): Promise<KubeConnectionReport> {
  // one object per list: a page of a MiB is plenty
  const reader = new KubeReader(c, policy, { timeoutMs: 10_000, maxPageBytes: 1024 * 1024, maxTotalBytes: 16 * 1024 * 1024, deadlineMs: 30_000, ...o });
  let version: string | null;
  try {
    version = await reader.version();
  } catch (e) {
    return { ok: false, version: null, checks: [], error: (e as Error).message };
  }
  const checks = await Promise.all(
    (Object.keys(DIRECT_RESOURCES) as DirectResource[]).map(async (resource): Promise<KubeCheck> => {
      const path = DIRECT_RESOURCES[resource];
      try {
        await reader.get(`${path}${path.includes("?") ? "&" : "?"}limit=1`);
        return { resource, ok: true, error: null };
      } catch (e) {
        return { resource, ok: false, error: (e as Error).message };
      }
    }),
  );
  const failed = checks.filter((c) => !c.ok);
  return { ok: failed.length === 0, version, checks, error: failed.length ? `${failed.length} of ${checks.length} lists cannot be read` : null };
}
