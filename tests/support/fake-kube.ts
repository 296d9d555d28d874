import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

type Obj = { apiVersion?: string; kind?: string; metadata: { name: string; namespace: string; uid?: string; resourceVersion?: string; ownerReferences?: unknown[] }; [k: string]: unknown };
interface Event { rv: number; type: "ADDED" | "MODIFIED" | "DELETED"; object: Obj }

/**
 * A small Kubernetes API server, faithful where the agent depends on it: core/v1 pods listed with a
 * resourceVersion and watched from one (newline-delimited JSON events over a chunked response,
 * BOOKMARK events when asked, a 410 Expired ERROR event once the requested version is compacted
 * away), ReplicaSets and Jobs read by name, and the bearer token checked on every request
 * (401 Status otherwise). No kube-apiserver can be installed here (ARCHITECTURE.md).
 */
export class FakeKube {
  private rv = 100;
  private pods = new Map<string, Obj>();
  private owners = new Map<string, Obj>();
  private events: Event[] = [];
  private watchers = new Set<{ ns: string | null; res: http.ServerResponse }>();
  private server!: http.Server;
  url = "";
  requests = 0;

  constructor(readonly token: string) {}

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

  /** Creates or replaces a pod (a new resourceVersion; ADDED or MODIFIED to every watcher). */
  putPod(pod: Obj) {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const type = this.pods.has(key) ? "MODIFIED" : "ADDED";
    const stored = { apiVersion: "v1", kind: "Pod", ...structuredClone(pod), metadata: { ...structuredClone(pod.metadata), resourceVersion: String(++this.rv) } };
    this.pods.set(key, stored);
    this.emit({ rv: this.rv, type, object: stored });
  }

  putOwner(kind: "ReplicaSet" | "Job", obj: Obj) {
    this.owners.set(`${kind}/${obj.metadata.namespace}/${obj.metadata.name}`, { apiVersion: kind === "Job" ? "batch/v1" : "apps/v1", kind, ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } });
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
    for (const w of this.watchers) if (w.ns === null || w.ns === e.object.metadata.namespace) w.res.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
  }

  private status(res: http.ServerResponse, code: number, reason: string, message: string) {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code }));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    this.requests++;
    if (req.headers.authorization !== `Bearer ${this.token}`) return this.status(res, 401, "Unauthorized", "Unauthorized");
    const u = new URL(req.url ?? "/", this.url);
    let m: RegExpExecArray | null;
    if ((m = /^\/api\/v1(?:\/namespaces\/([^/]+))?\/pods$/.exec(u.pathname))) {
      const ns = m[1] ?? null;
      if (u.searchParams.get("watch") === "true" || u.searchParams.get("watch") === "1") return this.watch(ns, u, res);
      const items = [...this.pods.values()].filter((p) => ns === null || p.metadata.namespace === ns);
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: String(this.rv) }, items }));
    }
    if ((m = /^\/apis\/(apps|batch)\/v1\/namespaces\/([^/]+)\/(replicasets|jobs)\/([^/]+)$/.exec(u.pathname))) {
      const kind = m[3] === "jobs" ? "Job" : "ReplicaSet";
      const obj = this.owners.get(`${kind}/${m[2]}/${m[4]}`);
      if (!obj) return this.status(res, 404, "NotFound", `${m[3]} "${m[4]}" not found`);
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify(obj));
    }
    this.status(res, 404, "NotFound", "the server could not find the requested resource");
  }

  private watch(ns: string | null, u: URL, res: http.ServerResponse) {
    const from = Number(u.searchParams.get("resourceVersion") || this.rv);
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    // the API server answers a watch's headers at once, before any event
    res.flushHeaders();
    const oldest = this.events[0]?.rv ?? this.rv + 1;
    if (from < oldest - 1 && from < this.rv) {
      res.write(`${JSON.stringify({ type: "ERROR", object: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `too old resource version: ${from} (${oldest - 1})`, reason: "Expired", code: 410 } })}\n`);
      return res.end();
    }
    for (const e of this.events) if (e.rv > from && (ns === null || e.object.metadata.namespace === ns)) res.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
    const w = { ns, res };
    this.watchers.add(w);
    const bookmarks = u.searchParams.get("allowWatchBookmarks") === "true" ? setInterval(() => res.write(`${JSON.stringify({ type: "BOOKMARK", object: { kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: String(this.rv) } } })}\n`), 1000) : null;
    res.on("close", () => {
      if (bookmarks) clearInterval(bookmarks);
      this.watchers.delete(w);
    });
  }
}
