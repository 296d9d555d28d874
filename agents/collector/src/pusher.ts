import crypto from "node:crypto";
import { gzipSync } from "node:zlib";
import type { InventorySnapshot } from "@/lib/kube/snapshot";
import type { IngestTermination } from "@/lib/schemas/ingest";

export type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body: Buffer }) => Promise<{ status: number; text(): Promise<string> }>;

/** The app refused the token (401/403): the agent stops, retrying cannot help. */
export class FatalPushError extends Error {}

export interface PusherStats {
  sent: number;
  batches: number;
  retries: number;
  dropped: number;
  buffered: number;
  snapshotsSent: number;
  snapshotsDropped: number;
}

/** How many entries a snapshot holds (what it costs the buffer). */
const sizeOf = (s: InventorySnapshot) => s.pods.length + s.workloads.length + s.nodes.length + s.removedPods.length;

/**
 * A bounded buffer of terminations and inventory snapshots sent in gzip batches, each with its own
 * Idempotency-Key kept across retries (a replay stores nothing twice). 429 and 5xx and network errors
 * are retried with exponential backoff and jitter; 401/403 stop the agent; 413 halves the batch. A
 * complete snapshot replaces every snapshot queued before it. When the buffer is full, snapshots are
 * dropped before any termination, then the oldest terminations; each is counted, and a dropped
 * snapshot asks for a new complete one (`needsCompleteSnapshot`).
 */
export class Pusher {
  private buffer: IngestTermination[] = [];
  private snapshots: InventorySnapshot[] = [];
  readonly stats: PusherStats = { sent: 0, batches: 0, retries: 0, dropped: 0, buffered: 0, snapshotsSent: 0, snapshotsDropped: 0 };
  /** a snapshot was lost: the inventory the app holds may be stale until the next complete one */
  needsCompleteSnapshot = false;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly opts: { url: string; token: string; maxBatch: number; maxBuffer: number; version: string; maxSnapshotEntries?: number },
    private readonly fetchFn: Fetch = (url, init) => fetch(url, { ...init, body: new Uint8Array(init.body) }),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly random: () => number = Math.random,
  ) {}

  add(items: IngestTermination[]) {
    this.buffer.push(...items);
    this.bound();
  }

  /** Queues a snapshot: a complete one (the first part of a chunked one) supersedes the queue, changes and its other parts go after it. */
  addSnapshot(s: InventorySnapshot) {
    if (s.complete && (s.chunk?.index ?? 0) === 0) {
      this.stats.snapshotsDropped += this.snapshots.length;
      this.snapshots = [];
      this.needsCompleteSnapshot = false;
    }
    this.snapshots.push(s);
    this.bound();
  }

  get queuedSnapshots() {
    return this.snapshots.length;
  }

  private snapshotEntries() {
    return this.snapshots.reduce((n, s) => n + sizeOf(s), 0);
  }

  /**
   * Keeps the buffer within its bounds: snapshots go first (oldest first, a chunked relist's parts all
   * together: one part is no use without the others), then the oldest terminations. A relist in parts
   * may hold more entries than maxSnapshotEntries (the cluster is that big) but never displaces terminations.
   */
  private bound() {
    const relist = this.snapshots[0]?.chunk?.id;
    const relistEntries = relist ? this.snapshots.filter((x) => x.chunk?.id === relist).reduce((n, x) => n + sizeOf(x), 0) : 0;
    const maxSnapshot = Math.max(this.opts.maxSnapshotEntries ?? 100_000, relistEntries);
    while (this.snapshots.length && (this.snapshotEntries() > maxSnapshot || this.buffer.length + this.snapshotEntries() > this.opts.maxBuffer + maxSnapshot || this.buffer.length > this.opts.maxBuffer)) {
      const first = this.snapshots.shift()!;
      this.stats.snapshotsDropped++;
      this.needsCompleteSnapshot = true;
      if (first.chunk) {
        const rest = this.snapshots.filter((x) => x.chunk?.id === first.chunk!.id).length;
        this.snapshots = this.snapshots.filter((x) => x.chunk?.id !== first.chunk!.id);
        this.stats.snapshotsDropped += rest;
      }
    }
    const over = this.buffer.length - this.opts.maxBuffer;
    if (over > 0) {
      this.buffer.splice(0, over);
      this.stats.dropped += over;
    }
    this.stats.buffered = this.buffer.length;
  }

  /** Sends everything buffered, batch by batch; resolves when the buffer is empty (or throws a FatalPushError). */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async drain() {
    let size = this.opts.maxBatch;
    while (this.buffer.length || this.snapshots.length) {
      const batch = this.buffer.slice(0, size);
      const snapshot = this.snapshots[0];
      const r = await this.send(batch, snapshot);
      if (r === "too-large" && snapshot) {
        // the snapshot is what is big: it cannot be halved, so it is given up (a later complete one replaces it)
        console.error(`[collector] inventory snapshot too large for the app (${sizeOf(snapshot)} entries); dropped`);
        this.dropSnapshot(snapshot);
        continue;
      }
      if (r === "too-large" && size > 1) {
        size = Math.max(1, Math.floor(size / 2));
        continue;
      }
      if (r === "refused" && snapshot) {
        // a snapshot the app will not take must not cost the terminations beside it: sent again without it
        this.dropSnapshot(snapshot);
        continue;
      }
      if (snapshot && r === "sent") {
        this.snapshots.shift();
        this.stats.snapshotsSent++;
      }
      this.buffer.splice(0, batch.length);
      this.stats.buffered = this.buffer.length;
      if (r === "sent") this.stats.sent += batch.length;
      else this.stats.dropped += batch.length;
    }
  }

  private dropSnapshot(s: InventorySnapshot) {
    // a relist's part refused: its other parts could never complete it
    const gone = this.snapshots.filter((x) => x === s || (s.chunk && x.chunk?.id === s.chunk.id));
    this.snapshots = this.snapshots.filter((x) => !gone.includes(x));
    this.stats.snapshotsDropped += gone.length - 1;
    this.stats.snapshotsDropped++;
    this.needsCompleteSnapshot = true;
  }

  private async send(terminations: IngestTermination[], snapshot: InventorySnapshot | undefined): Promise<"sent" | "too-large" | "refused"> {
    const key = crypto.randomUUID();
    const body = gzipSync(JSON.stringify({ agent: { version: this.opts.version, memoryBytes: process.memoryUsage().rss }, terminations, ...(snapshot ? { snapshot } : {}) }));
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      try {
        const res = await this.fetchFn(`${this.opts.url}/api/v1/ingest`, {
          method: "POST",
          headers: { authorization: `Bearer ${this.opts.token}`, "content-type": "application/json", "content-encoding": "gzip", "idempotency-key": key },
          body,
        });
        status = res.status;
        if (status >= 200 && status < 300) {
          this.stats.batches++;
          return "sent";
        }
        if (status === 401 || status === 403) throw new FatalPushError(`Headroom refused the agent token (HTTP ${status}): create a new one in the cluster's settings`);
        if (status === 413) return "too-large";
        // a batch the app will never accept (400, 422): logged and dropped, not retried forever
        if (status >= 400 && status < 500 && status !== 429) {
          console.error(`[collector] batch refused: HTTP ${status} ${(await res.text()).slice(0, 300)}`);
          return "refused";
        }
      } catch (e) {
        if (e instanceof FatalPushError) throw e;
      }
      this.stats.retries++;
      // exponential backoff with full jitter, capped at 30 s
      await this.sleep(Math.round(this.random() * Math.min(30_000, 250 * 2 ** Math.min(attempt, 7))));
    }
  }
}
