import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createDb, type Db } from "@/db/connect";
import { auditLog, notificationDeliveries, notificationEvents, organizations } from "@/db/schema";
import { startJobs, type RunningJobs } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { createChannel, getChannelTarget, listChannels, updateChannel } from "@/lib/notify/channels";
import { deliverChannel, emitEvents, RetryableDeliveryError, sendTest, type NotifyEvent } from "@/lib/notify/deliver";
import type { NotifyPayload } from "@/lib/notify/messages";
import { DEFAULT_CHANNEL_RULES } from "@/lib/schemas/notifications";
import { seedOrgWithAdmin } from "../support/orgs";

const LOOPBACK = { allowLoopback: true, allowPrivate: false };
const actor = { userId: null, ip: null };
let db: Db;
let orgId: string;
const saved = { key: process.env.HEADROOM_SECRET_KEY };

/** A local webhook receiver: answers each request with the next status of `script` (then 200), keeps what it got. */
interface Receiver {
  url: string;
  got: { headers: http.IncomingHttpHeaders; body: string }[];
  script: number[];
  close(): Promise<void>;
}
async function startReceiver(): Promise<Receiver> {
  const r = { got: [] as Receiver["got"], script: [] as number[] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      r.got.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const status = r.script.shift() ?? 200;
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "nope");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { ...r, get got() { return r.got; }, get script() { return r.script; }, set script(s) { r.script = s; }, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise((res) => server.close(() => res())) };
}

/** The README's verification snippet, as a receiver would run it. */
function verify(secret: string, headers: http.IncomingHttpHeaders, rawBody: string): boolean {
  const timestamp = String(headers["x-headroom-timestamp"]);
  const signature = String(headers["x-headroom-signature"]);
  const expected = "v1=" + crypto.createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex");
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
  return fresh && signature.length === expected.length && crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

const payload = (i: number, over: Partial<NotifyPayload> = {}): NotifyPayload => ({
  kind: "critical", cluster: "prod-eu", namespace: "payments", workloadKind: "Deployment", workloadName: `svc-${i}`, container: "api", pattern: "limit_too_low",
  workingSetBytes: 990 * 2 ** 20, limitBytes: 2 ** 30, usageOfLimit: 990 / 1024, growthBytesPerHour: null, timeToOomHours: null, oomCount: null, incidentId: null,
  url: `http://headroom.test/x/${i}`, at: new Date().toISOString(), ...over,
});
const event = (i: number, over: Partial<NotifyEvent> = {}): NotifyEvent => ({ kind: "critical", subjectKey: `container:svc-${i}`, payload: payload(i), ...over });

let receiver: Receiver;
let channelId: string;
let secret: string;

beforeAll(async () => {
  process.env.HEADROOM_SECRET_KEY = crypto.randomBytes(32).toString("base64");
  db = createDb(inject("databaseUrl"), 4);
  orgId = (await seedOrgWithAdmin(db, `notify-${crypto.randomBytes(3).toString("hex")}`, "Notify Inc")).orgId;
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await db.delete(organizations).where(eq(organizations.id, orgId));
  await db.$client.end();
  if (saved.key === undefined) delete process.env.HEADROOM_SECRET_KEY;
  else process.env.HEADROOM_SECRET_KEY = saved.key;
});
beforeEach(async () => {
  receiver.got.length = 0;
  receiver.script = [];
  const c = await createChannel(db, { orgId, actor, policy: LOOPBACK, input: { name: `hook-${crypto.randomBytes(2).toString("hex")}`, kind: "webhook", url: receiver.url, rules: DEFAULT_CHANNEL_RULES } });
  channelId = c.id;
  secret = c.secret!;
});

describe("notification channels", () => {
  it("seal the URL and the signing secret; the list shows only the host", async () => {
    expect(secret).toMatch(/^whsec_/);
    const list = await listChannels(db, { orgId });
    const mine = list.find((c) => c.id === channelId)!;
    expect(mine.host).toBe(new URL(receiver.url).host);
    expect(JSON.stringify(list)).not.toContain(secret);
    const target = await getChannelTarget(db, { orgId, id: channelId });
    expect(target!.url).toBe(receiver.url);
    expect(await getChannelTarget(db, { orgId: crypto.randomUUID(), id: channelId })).toBeNull();
  });

  it("refuse a URL the outbound guard refuses, at save time (400 naming url)", async () => {
    const e = await createChannel(db, { orgId, actor, policy: { allowLoopback: false, allowPrivate: false }, input: { name: "x", kind: "slack", url: "http://127.0.0.1:9/hook" } }).catch((x: unknown) => x);
    expect(e).toMatchObject({ path: "url" });
    const meta = await createChannel(db, { orgId, actor, policy: LOOPBACK, input: { name: "x", kind: "webhook", url: "http://169.254.169.254/latest" } }).catch((x: unknown) => x);
    expect(meta).toMatchObject({ path: "url" });
  });
});

describe("webhook delivery to a local receiver", () => {
  it("is signed: the README's snippet verifies it, and a tampered body does not", async () => {
    await emitEvents(db, { orgId, events: [event(1)], now: new Date() });
    const r = await deliverChannel(db, { orgId, channelId, jobId: crypto.randomUUID(), lastAttempt: false, now: new Date(), policy: LOOPBACK });
    expect(r.status).toBe("delivered");
    expect(receiver.got).toHaveLength(1);
    const { headers, body } = receiver.got[0]!;
    expect(verify(secret, headers, body)).toBe(true);
    expect(verify(secret, headers, body.replace("svc-1", "svc-2"))).toBe(false);
    expect(verify(`${secret}x`, headers, body)).toBe(false);
    const json = JSON.parse(body) as { type: string; events: NotifyPayload[] };
    expect(json.type).toBe("headroom.notification");
    expect(json.events[0]).toMatchObject({ kind: "critical", workloadName: "svc-1", limitBytes: 2 ** 30 });
  });

  it("5xx and network failures are retried (the same delivery, same body) until delivered; the record keeps the attempts", async () => {
    receiver.script = [503, 502];
    await emitEvents(db, { orgId, events: [event(2)], now: new Date() });
    const jobId = crypto.randomUUID();
    const attempt = (lastAttempt = false) => deliverChannel(db, { orgId, channelId, jobId, lastAttempt, now: new Date(), policy: LOOPBACK });
    await expect(attempt()).rejects.toBeInstanceOf(RetryableDeliveryError);
    const [mid] = await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.jobId, jobId));
    expect(mid).toMatchObject({ status: "retrying", responseStatus: 503, attempts: 1 });
    await expect(attempt()).rejects.toBeInstanceOf(RetryableDeliveryError);
    expect((await attempt()).status).toBe("delivered");
    expect(receiver.got).toHaveLength(3);
    expect(new Set(receiver.got.map((g) => JSON.parse(g.body).id)).size).toBe(1);
    const [done] = await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.jobId, jobId));
    expect(done).toMatchObject({ status: "delivered", responseStatus: 200, attempts: 3, eventCount: 1 });
  });

  it("a channel switched off after its events were queued, or between retries, sends nothing and says so", async () => {
    await emitEvents(db, { orgId, events: [event(5)], now: new Date() });
    await updateChannel(db, { orgId, id: channelId, actor, policy: LOOPBACK, input: { enabled: false } });
    const r = await deliverChannel(db, { orgId, channelId, jobId: crypto.randomUUID(), lastAttempt: false, now: new Date(), policy: LOOPBACK });
    expect(r).toMatchObject({ status: "failed", responseStatus: null, eventCount: 1, error: "not sent: the channel was switched off before the message went out" });
    expect(receiver.got).toHaveLength(0);
    expect((await listChannels(db, { orgId })).find((c) => c.id === channelId)!.lastDelivery).toMatchObject({ status: "failed" });

    // on again: a retry in progress is stopped by switching off between attempts
    await updateChannel(db, { orgId, id: channelId, actor, policy: LOOPBACK, input: { enabled: true } });
    receiver.script = [503];
    await emitEvents(db, { orgId, events: [event(6)], now: new Date() });
    const jobId = crypto.randomUUID();
    await expect(deliverChannel(db, { orgId, channelId, jobId, lastAttempt: false, now: new Date(), policy: LOOPBACK })).rejects.toBeInstanceOf(RetryableDeliveryError);
    await updateChannel(db, { orgId, id: channelId, actor, policy: LOOPBACK, input: { enabled: false } });
    expect((await deliverChannel(db, { orgId, channelId, jobId, lastAttempt: false, now: new Date(), policy: LOOPBACK })).status).toBe("failed");
    expect(receiver.got).toHaveLength(1);
  });

  it("a 4xx is not retried; a 5xx on the last attempt fails", async () => {
    receiver.script = [400];
    await emitEvents(db, { orgId, events: [event(3)], now: new Date() });
    const r = await deliverChannel(db, { orgId, channelId, jobId: crypto.randomUUID(), lastAttempt: false, now: new Date(), policy: LOOPBACK });
    expect(r).toMatchObject({ status: "failed", responseStatus: 400 });
    expect(r.error).toMatch(/HTTP 400/);
    expect(receiver.got).toHaveLength(1);
    receiver.script = [500];
    await emitEvents(db, { orgId, events: [event(4)], now: new Date() });
    const last = await deliverChannel(db, { orgId, channelId, jobId: crypto.randomUUID(), lastAttempt: true, now: new Date(), policy: LOOPBACK });
    expect(last).toMatchObject({ status: "failed", responseStatus: 500 });
    // the settings page shows the last delivery
    expect((await listChannels(db, { orgId })).find((c) => c.id === channelId)!.lastDelivery).toMatchObject({ status: "failed", responseStatus: 500 });
  });

  it("a burst of 100 events becomes one message; 100 events of one flapping container become one event", async () => {
    const now = new Date();
    await emitEvents(db, { orgId, events: Array.from({ length: 100 }, (_, i) => event(1000 + i)), now });
    for (let i = 0; i < 100; i++) await emitEvents(db, { orgId, events: [event(7, { subjectKey: "container:flapping" })], now: new Date(now.getTime() + i * 1000) });
    const pending = await db.select().from(notificationEvents).where(and(eq(notificationEvents.channelId, channelId)));
    expect(pending.filter((p) => p.subjectKey === "container:flapping")).toHaveLength(1);
    const r = await deliverChannel(db, { orgId, channelId, jobId: crypto.randomUUID(), lastAttempt: false, now: new Date(), policy: LOOPBACK });
    expect(r).toMatchObject({ status: "delivered", eventCount: 101 });
    expect(receiver.got).toHaveLength(1);
    expect((JSON.parse(receiver.got[0]!.body) as { events: unknown[] }).events).toHaveLength(101);
    // nothing left: the next job has nothing to send
    expect((await deliverChannel(db, { orgId, channelId, jobId: crypto.randomUUID(), lastAttempt: false, now: new Date(), policy: LOOPBACK })).status).toBe("nothing");
    // after the window (60 min), the flapping container may be told again
    const later = new Date(now.getTime() + 61 * 60_000);
    await emitEvents(db, { orgId, events: [event(7, { subjectKey: "container:flapping" })], now: later });
    await emitEvents(db, { orgId, events: [event(7, { subjectKey: "container:flapping" })], now: new Date(later.getTime() + 1000) });
    const again = await db.select().from(notificationEvents).where(and(eq(notificationEvents.channelId, channelId), eq(notificationEvents.subjectKey, "container:flapping")));
    expect(again).toHaveLength(2);
  });

  it("rules: kinds, clusters, namespaces and the leak horizon decide which events a channel gets", async () => {
    const c = await createChannel(db, {
      orgId, actor, policy: LOOPBACK,
      input: { name: "scoped", kind: "slack", url: receiver.url, rules: { ...DEFAULT_CHANNEL_RULES, events: { incident_opened: false, critical: true, leak_projected: true }, clusters: ["prod-eu"], namespaces: ["payments"], leakWithinHours: 8 } },
    });
    const now = new Date();
    await emitEvents(db, {
      orgId, now,
      events: [
        event(1, { subjectKey: "a" }),
        event(2, { subjectKey: "b", payload: payload(2, { cluster: "staging" }) }),
        event(3, { subjectKey: "c", payload: payload(3, { namespace: "search" }) }),
        event(4, { subjectKey: "d", kind: "incident_opened" }),
        event(5, { subjectKey: "e", kind: "leak_projected", payload: payload(5, { kind: "leak_projected", timeToOomHours: 8, growthBytesPerHour: 12 * 2 ** 20 }) }),
        event(6, { subjectKey: "f", kind: "leak_projected", payload: payload(6, { kind: "leak_projected", timeToOomHours: 8.1, growthBytesPerHour: 12 * 2 ** 20 }) }),
      ],
    });
    const got = await db.select().from(notificationEvents).where(eq(notificationEvents.channelId, c.id));
    expect(got.map((g) => g.subjectKey).sort()).toEqual(["a", "e"]);
    // the Slack message: Block Kit with the verdict's numbers and a link
    const r = await deliverChannel(db, { orgId, channelId: c.id, jobId: crypto.randomUUID(), lastAttempt: false, now: new Date(), policy: LOOPBACK });
    expect(r.status).toBe("delivered");
    const slack = JSON.parse(receiver.got.at(-1)!.body) as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(slack.blocks[0]!.type).toBe("header");
    const texts = slack.blocks.map((b) => b.text?.text ?? "").join("\n");
    expect(texts).toContain("97% of the 1Gi limit (990Mi)");
    expect(texts).toContain("growing +12Mi/h, OOMKill in ~8.0 h");
    expect(texts).toContain("<http://headroom.test/x/5|Open the container>");
  });

  it("Send test arrives at once and is recorded and audited", async () => {
    const r = await sendTest(db, { orgId, channelId, actor, now: new Date(), appUrl: "https://headroom.test", policy: LOOPBACK });
    expect(r).toMatchObject({ status: "delivered", responseStatus: 200 });
    expect(receiver.got).toHaveLength(1);
    expect(verify(secret, receiver.got[0]!.headers, receiver.got[0]!.body)).toBe(true);
    expect(JSON.parse(receiver.got[0]!.body).events[0].kind).toBe("test");
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, "notification_channel.tested"), eq(auditLog.targetId, channelId)));
    expect(audit).toHaveLength(1);
  });
});

describe("delivery on the real queue", () => {
  let jobs: RunningJobs | null = null;
  afterAll(async () => {
    await jobs?.stop(2_000);
  });

  it("a notify.deliver job retries a 503 with backoff and then delivers; one job per channel at a time groups a burst", async () => {
    receiver.script = [503];
    jobs = await startJobs({
      db, databaseUrl: inject("databaseUrl"), intervalSeconds: 0, pollSeconds: 0.5, log: () => {}, sync: async () => undefined,
      notify: { scan: async () => [], deliver: (d) => deliverChannel(db, { ...d, policy: LOOPBACK }), groupSeconds: 1, retryDelaySeconds: 1 },
    });
    await emitEvents(db, { orgId, events: [event(50)], now: new Date() });
    const first = await jobs.boss.send(JOB.notifyDeliver, { orgId, channelId }, { singletonKey: channelId, startAfter: 1 });
    await emitEvents(db, { orgId, events: [event(51)], now: new Date() });
    const second = await jobs.boss.send(JOB.notifyDeliver, { orgId, channelId }, { singletonKey: channelId, startAfter: 1 });
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    const deadline = Date.now() + 45_000;
    let done: typeof notificationDeliveries.$inferSelect | undefined;
    while (Date.now() < deadline) {
      [done] = await db.select().from(notificationDeliveries).where(and(eq(notificationDeliveries.jobId, first!), eq(notificationDeliveries.status, "delivered")));
      if (done) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(done).toMatchObject({ status: "delivered", attempts: 2, eventCount: 2 });
    expect(receiver.got).toHaveLength(2);
  }, 60_000);
});
