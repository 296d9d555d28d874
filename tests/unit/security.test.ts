import type dns from "node:dns";
import { describe, expect, it } from "vitest";
import { addressRefusal, checkUrl, guardedLookup, OutboundBlockedError, type OutboundPolicy } from "@/lib/security/outbound";
import { decryptSecret, encryptSecret, parseKey } from "@/lib/security/secrets";

const STRICT: OutboundPolicy = { allowLoopback: false, allowPrivate: false };
const OPEN: OutboundPolicy = { allowLoopback: true, allowPrivate: true };

describe("outbound guard: hostile URLs", () => {
  const refused: [string, RegExp][] = [
    ["http://169.254.169.254/latest/meta-data/", /link-local/],
    ["http://2852039166/", /169\.254\.169\.254 is link-local/], // decimal
    ["http://0xa9fea9fe/", /169\.254\.169\.254 is link-local/], // hex
    ["http://0251.0376.0251.0376/", /169\.254\.169\.254 is link-local/], // octal
    ["http://0xa9.0xfe.0xa9.0xfe/", /169\.254\.169\.254 is link-local/], // hex per octet
    ["http://169.254.169.254.:9090/", /link-local/], // trailing dot
    ["http://[::ffff:169.254.169.254]/", /169\.254\.169\.254 is link-local/], // IPv4-mapped IPv6
    ["http://[::ffff:a9fe:a9fe]/", /169\.254\.169\.254 is link-local/],
    ["http://[0:0:0:0:0:ffff:a9fe:a9fe]/", /169\.254\.169\.254 is link-local/],
    ["http://[fe80::1]/", /not a routable address|link-local/],
    ["http://127.0.0.1:9090/", /loopback/],
    ["http://2130706433/", /127\.0\.0\.1 is a loopback/], // decimal loopback
    ["http://[::1]:9090/", /loopback/],
    ["http://[::ffff:127.0.0.1]/", /loopback/],
    ["http://localhost:9090/", /loopback/],
    ["http://prometheus.localhost/", /loopback/],
    ["http://0.0.0.0:9090/", /not a routable address/],
    ["http://10.0.0.5:9090/", /private/],
    ["http://172.16.3.4/", /private/],
    ["http://192.168.1.10/", /private/],
    ["http://100.64.0.1/", /private/],
    ["http://[fd00::1]/", /private/],
    ["file:///etc/passwd", /scheme file: is not allowed/],
    ["gopher://example.com/", /scheme gopher: is not allowed/],
    ["http://user:pass@prometheus.example.com/", /credentials in the URL/],
    ["not a url", /not a valid URL/],
    ["http://prom.example.com//169.254.169.254/", /the path may not contain/], // a path that would become a host
    ["http://prom.example.com/\\169.254.169.254/", /the path may not contain/],
    ["http://[64:ff9b::a9fe:a9fe]/", /169\.254\.169\.254 is link-local/], // NAT64
    ["http://[::ffff:0:a9fe:a9fe]/", /169\.254\.169\.254 is link-local/], // IPv4-translated
    ["http://[fd00:ec2::254]/", /not a routable address|metadata/], // AWS IMDS over IPv6
    ["http://100.100.100.200/latest/meta-data/", /not a routable address|metadata/], // Alibaba Cloud metadata
  ];
  for (const [url, why] of refused) {
    it(`refuses ${url}`, () => {
      expect(() => checkUrl(url, STRICT)).toThrow(OutboundBlockedError);
      expect(() => checkUrl(url, STRICT)).toThrow(why);
    });
  }

  it("allows public addresses and names", () => {
    expect(checkUrl("https://prometheus.example.com/api", STRICT).hostname).toBe("prometheus.example.com");
    expect(checkUrl("http://8.8.8.8:9090", STRICT).hostname).toBe("8.8.8.8");
    expect(checkUrl("http://[2001:db8::1]:9090", STRICT).hostname).toBe("[2001:db8::1]");
  });

  it("the operator can allow loopback and private networks, never the metadata address", () => {
    expect(() => checkUrl("http://127.0.0.1:9090", OPEN)).not.toThrow();
    expect(() => checkUrl("http://10.1.2.3:9090", OPEN)).not.toThrow();
    expect(() => checkUrl("http://169.254.169.254/", OPEN)).toThrow(/link-local/);
    expect(() => checkUrl("http://[fd00:ec2::254]/", OPEN)).toThrow(OutboundBlockedError);
    expect(() => checkUrl("http://[fd20:ce::254]/", OPEN)).toThrow(OutboundBlockedError);
    expect(() => checkUrl("http://100.100.100.200/", OPEN)).toThrow(OutboundBlockedError);
    expect(addressRefusal("::ffff:169.254.169.254", OPEN)).toMatch(/link-local/);
    expect(addressRefusal("10.0.0.1", { allowLoopback: true, allowPrivate: false })).toMatch(/HEADROOM_ALLOW_PRIVATE_NETWORKS/);
  });

  it("checks the address DNS returns at connect time (rebinding)", async () => {
    const answers: Record<string, dns.LookupAddress[]> = {
      "rebind.example.com": [{ address: "169.254.169.254", family: 4 }],
      "split.example.com": [{ address: "93.184.216.34", family: 4 }, { address: "10.0.0.7", family: 4 }],
      "ok.example.com": [{ address: "93.184.216.34", family: 4 }],
    };
    const fakeResolve = ((host: string, _o: unknown, cb: (e: Error | null, a: dns.LookupAddress[]) => void) => cb(null, answers[host]!)) as unknown as typeof dns.lookup;
    const lookup = guardedLookup(STRICT, fakeResolve);
    const run = (host: string, all = false) =>
      new Promise<string | dns.LookupAddress[]>((resolve, reject) => lookup(host, { all }, (e, a) => (e ? reject(e) : resolve(a))));
    await expect(run("rebind.example.com")).rejects.toThrow(/rebind\.example\.com resolves to 169\.254\.169\.254 is link-local/);
    await expect(run("split.example.com")).rejects.toThrow(/10\.0\.0\.7 is a private address/);
    await expect(run("ok.example.com")).resolves.toBe("93.184.216.34");
    await expect(run("ok.example.com", true)).resolves.toEqual([{ address: "93.184.216.34", family: 4 }]);
  });
});

describe("secrets at rest (AES-256-GCM)", () => {
  const key = parseKey(Buffer.alloc(32, 7).toString("base64"));

  it("round-trips, never stores the clear text, and uses a fresh nonce each time", () => {
    const a = encryptSecret("glpat-very-secret", "cluster:1:prometheus-secret", key);
    const b = encryptSecret("glpat-very-secret", "cluster:1:prometheus-secret", key);
    expect(a).not.toContain("very-secret");
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toBe(b);
    expect(decryptSecret(a, "cluster:1:prometheus-secret", key)).toBe("glpat-very-secret");
  });

  it("refuses a ciphertext moved to another row, a tampered one, and a wrong key", () => {
    const sealed = encryptSecret("token", "cluster:1:prometheus-secret", key);
    expect(() => decryptSecret(sealed, "cluster:2:prometheus-secret", key)).toThrow(/does not decrypt/);
    const parts = sealed.split(".");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => decryptSecret(parts.join("."), "cluster:1:prometheus-secret", key)).toThrow(/does not decrypt/);
    expect(() => decryptSecret(sealed, "cluster:1:prometheus-secret", parseKey("ab".repeat(32)))).toThrow(/does not decrypt/);
    // a truncated authentication tag is refused, not accepted by a shorter check
    const short = sealed.split(".");
    short[2] = Buffer.from(short[2]!, "base64url").subarray(0, 4).toString("base64url");
    expect(() => decryptSecret(short.join("."), "cluster:1:prometheus-secret", key)).toThrow(/malformed/);
  });

  it("explains a missing or short key", () => {
    expect(() => parseKey(undefined)).toThrow(/HEADROOM_SECRET_KEY is not set/);
    expect(() => parseKey("c2hvcnQ=")).toThrow(/must decode to 32 bytes, got 5/);
  });
});
