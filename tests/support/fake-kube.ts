import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

type Obj = { apiVersion?: string; kind?: string; metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; ownerReferences?: unknown[]; labels?: Record<string, string> }; [k: string]: unknown };
interface Event { rv: number; resource: string; type: "ADDED" | "MODIFIED" | "DELETED"; object: Obj }

/** The resources served: where each lives (core or a group), its kind, and whether it is namespaced. */
const RESOURCES: Record<string, { group: string; kind: string; namespaced: boolean }> = {
  pods: { group: "", kind: "Pod", namespaced: true },
  events: { group: "", kind: "Event", namespaced: true },
  nodes: { group: "", kind: "Node", namespaced: false },
  namespaces: { group: "", kind: "Namespace", namespaced: false },
  deployments: { group: "apps", kind: "Deployment", namespaced: true },
  statefulsets: { group: "apps", kind: "StatefulSet", namespaced: true },
  daemonsets: { group: "apps", kind: "DaemonSet", namespaced: true },
  replicasets: { group: "apps", kind: "ReplicaSet", namespaced: true },
  jobs: { group: "batch", kind: "Job", namespaced: true },
  cronjobs: { group: "batch", kind: "CronJob", namespaced: true },
};
export type FakeResource = keyof typeof RESOURCES;
const RESOURCE_OF_KIND: Record<string, FakeResource> = Object.fromEntries(Object.entries(RESOURCES).map(([r, d]) => [d.kind, r]));

/** A field of an object by dotted path (`involvedObject.kind`), as a field selector reads it. */
const fieldOf = (o: unknown, dotted: string) => dotted.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), o);
/** `a=b,c!=d` (the API server's field selector syntax for the fields it indexes) as a predicate. */
function fieldSelector(raw: string | null): (o: Obj) => boolean {
  if (!raw) return () => true;
  const terms = raw.split(",").map((t) => /^([\w.]+)(==|=|!=)(.*)$/.exec(t.trim())!).filter(Boolean);
  return (o) => terms.every(([, f, op, v]) => (String(fieldOf(o, f!) ?? "") === v) === (op !== "!="));
}

/**
 * A small Kubernetes API server, faithful where the agent depends on it: core/v1 pods, events, nodes
 * and namespaces, apps/v1 and batch/v1 workloads, listed with a resourceVersion and watched from one
 * (newline-delimited JSON events over a chunked response, BOOKMARK events when asked, a 410 Expired
 * ERROR event once the requested version is compacted away), field selectors on events, objects read
 * by name, and the bearer token checked on every request (401 Status otherwise). No kube-apiserver
 * can be installed here (ARCHITECTURE.md).
 */
export class FakeKube {
  private rv = 100;
  private store = new Map<string, Map<string, Obj>>();
  private events: Event[] = [];
  private watchers = new Set<{ resource: string; ns: string | null; match: (o: Obj) => boolean; res: http.ServerResponse }>();
  private server!: http.Server;
  url = "";
  /** resources answered 403 (a ClusterRole that does not grant them) */
  forbidden = new Set<string>();
  requests = 0;
  /** list requests served per resource (a relist shows up here) */
  lists: Record<string, number> = {};

  /** the bearer token it accepts (a test rotates it to revoke the old one) */
  constructor(public token: string) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** A kubeconfig file for this server and token, as `kubectl` or the agent's `--kubeconfig` reads it. */
  kubeconfig(): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fake-kube-")), "config");
    const doc = {
      apiVersion: "v1", kind: "Config", "current-context": "fake",
      // plain http on loopback: client-node allows it only with TLS verification declared off
      clusters: [{ name: "fake", cluster: { server: this.url, "insecure-skip-tls-verify": true } }],
      users: [{ name: "agent", user: { token: this.token } }],
      contexts: [{ name: "fake", context: { cluster: "fake", user: "agent" } }],
    };
    fs.writeFileSync(file, JSON.stringify(doc));
    return file;
  }

  private table(resource: string) {
    return this.store.get(resource) ?? this.store.set(resource, new Map()).get(resource)!;
  }

  /** Creates or replaces an object (a new resourceVersion and uid if none; ADDED or MODIFIED to every watcher). */
  put(resource: FakeResource, obj: Obj) {
    const d = RESOURCES[resource]!;
    const key = `${obj.metadata.namespace ?? ""}/${obj.metadata.name}`;
    const table = this.table(resource);
    const type = table.has(key) ? "MODIFIED" : "ADDED";
    const uid = obj.metadata.uid ?? (table.get(key)?.metadata.uid as string | undefined) ?? `uid-${resource}-${key.replace(/\//g, "-")}`;
    const stored: Obj = {
      apiVersion: d.group ? `${d.group}/v1` : "v1", kind: d.kind, ...structuredClone(obj),
      metadata: { ...structuredClone(obj.metadata), uid, resourceVersion: String(++this.rv) },
    };
    table.set(key, stored);
    this.emit({ rv: this.rv, resource, type, object: stored });
  }

  /** Deletes an object (DELETED to every watcher). */
  remove(resource: FakeResource, namespace: string | null, name: string) {
    const key = `${namespace ?? ""}/${name}`;
    const obj = this.table(resource).get(key);
    if (!obj) return;
    this.table(resource).delete(key);
    this.emit({ rv: ++this.rv, resource, type: "DELETED", object: { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } } });
  }

  /** Creates or replaces a pod. */
  putPod(pod: Obj) {
    this.put("pods", pod);
  }

  /** Creates or replaces a ReplicaSet or a Job (an intermediate owner). */
  putOwner(kind: "ReplicaSet" | "Job", obj: Obj) {
    this.put(RESOURCE_OF_KIND[kind]!, obj);
  }

  /** Forgets the event history (etcd compaction): a watch from an older version gets 410 Gone. */
  compact() {
    this.events = [];
  }

  /** Ends every open watch, as an API server restart does. */
  dropWatches() {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  stop(): Promise<void> {
    this.dropWatches();
    return new Promise((r) => {
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }

  private emit(e: Event) {
    this.events.push(e);
    if (this.events.length > 1000) this.events.shift();
    for (const w of this.watchers) if (this.visible(w, e)) w.res.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
  }

  private visible(w: { resource: string; ns: string | null; match: (o: Obj) => boolean }, e: Event) {
    return w.resource === e.resource && (w.ns === null || e.object.metadata.namespace === w.ns) && w.match(e.object);
  }

  private status(res: http.ServerResponse, code: number, reason: string, message: string) {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code }));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    this.requests++;
    if (req.headers.authorization !== `Bearer ${this.token}`) return this.status(res, 401, "Unauthorized", "Unauthorized");
    const u = new URL(req.url ?? "/", this.url);
    if (u.pathname === "/version") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ major: "1", minor: "33", gitVersion: "v1.33.2", platform: "linux/amd64" }));
    }
    // /api/v1[/namespaces/NS]/RESOURCE[/NAME] and /apis/GROUP/v1[/namespaces/NS]/RESOURCE[/NAME]
    const m = /^\/(?:api\/v1|apis\/(apps|batch)\/v1)(?:\/namespaces\/([^/]+))?\/([a-z]+)(?:\/([^/]+))?$/.exec(u.pathname);
    const d = m ? RESOURCES[m[3]!] : undefined;
    if (!m || !d || d.group !== (m[1] ?? "") || (m[2] && !d.namespaced)) return this.status(res, 404, "NotFound", "the server could not find the requested resource");
    const [, , ns = null, resource, name] = m;
    // RBAC: a resource the test's ClusterRole does not grant
    if (this.forbidden.has(resource!)) return this.status(res, 403, "Forbidden", `${resource} is forbidden: User "system:serviceaccount:headroom:headroom-collector" cannot list resource "${resource}"`);
    if (name) {
      const obj = this.table(resource!).get(`${ns ?? ""}/${name}`);
      if (!obj) return this.status(res, 404, "NotFound", `${resource} "${name}" not found`);
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify(obj));
    }
    const match = fieldSelector(u.searchParams.get("fieldSelector"));
    if (u.searchParams.get("watch") === "true" || u.searchParams.get("watch") === "1") return this.watch(resource!, ns, match, u, res);
    this.lists[resource!] = (this.lists[resource!] ?? 0) + 1;
    const all = [...this.table(resource!).values()].filter((o) => (ns === null || o.metadata.namespace === ns) && match(o));
    // chunked lists: `limit` items per page, an opaque `continue` token for the rest (as the API server pages from etcd)
    const limit = Number(u.searchParams.get("limit")) || 0;
    const cont = u.searchParams.get("continue");
    const offset = cont ? Number(Buffer.from(cont, "base64url").toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0) return this.status(res, 400, "BadRequest", "continue key is not valid");
    const items = limit > 0 ? all.slice(offset, offset + limit) : all;
    const rest = limit > 0 && offset + limit < all.length ? { continue: Buffer.from(String(offset + limit)).toString("base64url"), remainingItemCount: all.length - offset - limit } : {};
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: `${d.kind}List`, apiVersion: d.group ? `${d.group}/v1` : "v1", metadata: { resourceVersion: String(this.rv), ...rest }, items }));
  }

  private watch(resource: string, ns: string | null, match: (o: Obj) => boolean, u: URL, res: http.ServerResponse) {
    const from = Number(u.searchParams.get("resourceVersion") || this.rv);
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    // the API server answers a watch's headers at once, before any event
    res.flushHeaders();
    const oldest = this.events[0]?.rv ?? this.rv + 1;
    if (from < oldest - 1 && from < this.rv) {
      res.write(`${JSON.stringify({ type: "ERROR", object: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `too old resource version: ${from} (${oldest - 1})`, reason: "Expired", code: 410 } })}\n`);
      return res.end();
    }
    const w = { resource, ns, match, res };
    for (const e of this.events) if (e.rv > from && this.visible(w, e)) res.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
    this.watchers.add(w);
    const kind = RESOURCES[resource]!.kind;
    const bookmarks = u.searchParams.get("allowWatchBookmarks") === "true" ? setInterval(() => res.write(`${JSON.stringify({ type: "BOOKMARK", object: { kind, apiVersion: "v1", metadata: { resourceVersion: String(this.rv) } } })}\n`), 1000) : null;
    res.on("close", () => {
      if (bookmarks) clearInterval(bookmarks);
      this.watchers.delete(w);
    });
  }
}
