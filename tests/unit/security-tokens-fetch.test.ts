import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardedGetJson, OutboundFetchError } from "@/lib/security/outbound-fetch";
import { hashToken, isTokenShaped, newToken } from "@/lib/security/tokens";

describe("link tokens", () => {
  it("are 32 random bytes in base64url (43 characters), different each time", () => {
    const a = newToken();
    const b = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, "base64url")).toHaveLength(32);
    expect(a).not.toBe(b);
  });
  it("are stored as their SHA-256 in hex", () => {
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
  it.each([
    ["A".repeat(43), true],
    ["A".repeat(42), false],
    ["A".repeat(44), false],
    [`${"A".repeat(42)}=`, false],
    [`${"A".repeat(42)}/`, false],
    [`-_${"a".repeat(41)}`, true],
  ])("%s is token-shaped: %s", (s, shaped) => expect(isTokenShaped(s)).toBe(shaped));
});

describe("guardedGetJson (an identity provider's discovery document)", () => {
  let server: http.Server;
  let base = "";
  const LOOPBACK = { allowLoopback: true, allowPrivate: false };
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/ok") return res.writeHead(200, { "content-type": "application/json" }).end('{"issuer":"x"}');
      if (req.url === "/redirect") return res.writeHead(302, { location: "http://169.254.169.254/" }).end();
      if (req.url === "/error") return res.writeHead(500).end("<html>stack trace with secrets</html>");
      if (req.url === "/big") return res.writeHead(200).end(`"${"x".repeat(2000)}"`);
      if (req.url === "/html") return res.writeHead(200).end("<html>not json</html>");
      if (req.url === "/echo") return res.writeHead(200).end(JSON.stringify({ method: req.method, accept: req.headers.accept }));
      if (req.url === "/bad") return res.writeHead(400).end("{}");
      if (req.url === "/cut") {
        res.writeHead(200, { "content-length": "100" });
        res.write('{"partial":');
        return void setTimeout(() => res.socket?.destroy(), 20);
      }
      if (req.url === "/slow") return void setTimeout(() => res.writeHead(200).end("{}"), 2000);
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("reads JSON from an allowed address", async () => {
    expect(await guardedGetJson(`${base}/ok`, LOOPBACK)).toEqual({ issuer: "x" });
  });
  it("refuses what the guard refuses, before any connection", async () => {
    await expect(guardedGetJson(`${base}/ok`, { allowLoopback: false, allowPrivate: false })).rejects.toThrow(/loopback/);
    await expect(guardedGetJson("file:///etc/passwd", LOOPBACK)).rejects.toThrow(/scheme/);
  });
  it("follows no redirect, echoes no body, and caps size and time", async () => {
    await expect(guardedGetJson(`${base}/redirect`, LOOPBACK)).rejects.toThrow(`127.0.0.1:${base.split(":")[2]} answered HTTP 302 (redirects are not followed)`);
    const e = await guardedGetJson(`${base}/error`, LOOPBACK).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OutboundFetchError);
    expect((e as Error).message).toBe(`127.0.0.1:${base.split(":")[2]} answered HTTP 500`);
    await expect(guardedGetJson(`${base}/big`, LOOPBACK, { maxBytes: 1000 })).rejects.toThrow("answered more than 1000 bytes");
    expect(await guardedGetJson(`${base}/big`, LOOPBACK, { maxBytes: 3000 })).toHaveLength(2000);
    await expect(guardedGetJson(`${base}/html`, LOOPBACK)).rejects.toThrow("did not answer JSON");
    await expect(guardedGetJson(`${base}/slow`, LOOPBACK, { timeoutMs: 200 })).rejects.toThrow("did not answer within 0.2 s");
  });
  it("asks for JSON with a GET, over TLS for an https URL", async () => {
    expect(await guardedGetJson(`${base}/echo`, LOOPBACK)).toEqual({ method: "GET", accept: "application/json" });
    // this server speaks plain http: an https URL must not be read over it
    await expect(guardedGetJson(`${base.replace("http:", "https:")}/ok`, LOOPBACK)).rejects.toBeInstanceOf(OutboundFetchError);
  });
  it("notes redirects only for 3xx, and reads an answer of exactly the cap", async () => {
    const e = (await guardedGetJson(`${base}/bad`, LOOPBACK).catch((x: unknown) => x)) as Error;
    expect(e.message).toBe(`127.0.0.1:${base.split(":")[2]} answered HTTP 400`);
    expect(await guardedGetJson(`${base}/big`, LOOPBACK, { maxBytes: 2002 })).toHaveLength(2000);
  });
  it("refuses at connect time a name that resolves to a refused address, and says when a name does not resolve", async () => {
    const port = base.split(":")[2];
    const toLoopback = { allowLoopback: false, allowPrivate: false, lookup: ((_h: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) => cb(null, [{ address: "127.0.0.1", family: 4 }])) as never };
    await expect(guardedGetJson(`http://idp.example:${port}/ok`, toLoopback)).rejects.toThrow(/idp\.example resolves to 127\.0\.0\.1 is a loopback address/);
    const missing = (code: string) => ({ allowLoopback: true, allowPrivate: false, lookup: ((_h: string, _o: unknown, cb: (e: NodeJS.ErrnoException) => void) => cb(Object.assign(new Error(code), { code }))) as never });
    await expect(guardedGetJson(`http://idp.example:${port}/ok`, missing("ENOTFOUND"))).rejects.toThrow(/^idp\.example not found$/);
    await expect(guardedGetJson(`http://idp.example:${port}/ok`, missing("EAI_AGAIN"))).rejects.toThrow(new RegExp(`^idp\\.example:${port}: EAI_AGAIN$`));
  });
  it("says when the answer breaks off", async () => {
    await expect(guardedGetJson(`${base}/cut`, LOOPBACK)).rejects.toThrow(/the answer broke off$/);
  });
  it("says when nothing listens", async () => {
    await expect(guardedGetJson("http://127.0.0.1:9/x", LOOPBACK)).rejects.toThrow("connection refused by 127.0.0.1:9");
  });
});
