import type dns from "node:dns";
import os from "node:os";
import { afterEach, describe, expect, it, vi } from "vitest";
import { addressRefusal, checkUrl, checkUrlResolved, credentialParameter, guardedLookup, OutboundBlockedError, policyFromEnv, remoteLine, type OutboundPolicy, type Resolve } from "@/lib/security/outbound";

const STRICT: OutboundPolicy = { allowLoopback: false, allowPrivate: false };
const OPEN: OutboundPolicy = { allowLoopback: true, allowPrivate: true };
const LOOPBACK_ONLY: OutboundPolicy = { allowLoopback: true, allowPrivate: false };
const PRIVATE_ONLY: OutboundPolicy = { allowLoopback: false, allowPrivate: true };

const LINK_LOCAL = (a: string) => `${a} is link-local (169.254.0.0/16, where the cloud metadata service lives)`;
/** The refusal of an address in one of the always-refused ranges, which it names. */
const UNROUTABLE = (range: string) => (a: string) => `${a} is not a routable address (${range})`;
const METADATA = (which: string) => (a: string) => `${a} is a cloud metadata address (${which})`;
const THIS_NETWORK = UNROUTABLE('0.0.0.0/8, "this network": 0.0.0.0 reaches the local host on Linux');
const LOOPBACK = (a: string) => `${a} is a loopback address (set HEADROOM_ALLOW_LOOPBACK=true to allow it)`;
const PRIVATE = (a: string) => `${a} is a private address (set HEADROOM_ALLOW_PRIVATE_NETWORKS=true to allow it)`;

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
    ["http://[fe80::1]/", /not a routable address/],
    ["http://127.0.0.1:9090/", /loopback/],
    ["http://2130706433/", /127\.0\.0\.1 is a loopback/], // decimal loopback
    ["http://[::1]:9090/", /::1 is a loopback address/],
    ["http://[::ffff:127.0.0.1]/", /127\.0\.0\.1 is a loopback address/],
    ["http://localhost:9090/", /localhost is loopback/],
    ["http://localhost.:9090/", /localhost\. is loopback/], // trailing dot: the same name
    ["http://prometheus.localhost/", /prometheus\.localhost is loopback/],
    ["http://prometheus.localhost./", /loopback/],
    ["http://0.0.0.0:9090/", /not a routable address/],
    ["http://10.0.0.5:9090/", /private/],
    ["http://172.16.3.4/", /private/],
    ["http://192.168.1.10/", /private/],
    ["http://100.64.0.1/", /private/],
    ["http://[fd00::1]/", /private/],
    ["file:///etc/passwd", /scheme file: is not allowed/],
    ["gopher://example.com/", /scheme gopher: is not allowed/],
    ["not a url", /not a valid URL/],
    ["http://prom.example.com//169.254.169.254/", /the path may not contain/], // a path that would become a host
    ["http://prom.example.com/\\169.254.169.254/", /the path may not contain/],
    ["http://[64:ff9b::a9fe:a9fe]/", /169\.254\.169\.254 is link-local/], // NAT64
    ["http://[::ffff:0:a9fe:a9fe]/", /169\.254\.169\.254 is link-local/], // IPv4-translated
    ["http://[fd00:ec2::254]/", /fd00:ec2::254 is a cloud metadata address \(fd00:ec2::254, AWS IMDS over IPv6\)/],
    ["http://100.100.100.200/latest/meta-data/", /a cloud metadata address \(100\.100\.100\.200, Alibaba Cloud metadata\)/],
    // the special-purpose ranges, named in the refusal
    ["http://192.0.2.10/", /192\.0\.2\.10 is not a routable address \(192\.0\.2\.0\/24, TEST-NET-1, for documentation\)/],
    ["http://198.18.0.1:9090/", /198\.18\.0\.1 is not a routable address \(198\.18\.0\.0\/15, for benchmarking\)/],
    ["http://255.255.255.255/", /255\.255\.255\.255 is not a routable address \(255\.255\.255\.255, broadcast\)/],
    ["http://[2001:db8::1]:9090/", /2001:db8::1 is not a routable address \(2001:db8::\/32, for documentation\)/],
    ["http://[2002:a9fe:a9fe::1]/", /169\.254\.169\.254 is link-local/], // 6to4 around the metadata address
    ["http://[2002:7f00:1::1]/", /127\.0\.0\.1 is a loopback address/], // 6to4 around loopback
    ["http://[::ffff:c000:20a]/", /192\.0\.2\.10 is not a routable address \(192\.0\.2\.0\/24/], // IPv4-mapped documentation address
  ];
  for (const [url, why] of refused) {
    it(`refuses ${url}`, () => {
      expect(() => checkUrl(url, STRICT)).toThrow(OutboundBlockedError);
      expect(() => checkUrl(url, STRICT)).toThrow(why);
    });
  }

  it("refuses credentials in the URL (a user alone, a password alone) without echoing them", () => {
    for (const url of ["http://user:s3cret@prometheus.example.com/", "http://user@prometheus.example.com/", "http://:s3cret@prometheus.example.com/"]) {
      const e = (() => {
        try {
          checkUrl(url, OPEN);
        } catch (x) {
          return x as OutboundBlockedError;
        }
        throw new Error(`${url} was accepted`);
      })();
      expect(e.message, url).toBe("refused to connect to the URL: credentials in the URL are not allowed (use the auth settings)");
      expect(e.url).toBe("the URL");
    }
  });

  it("allows public addresses and names, including names that merely contain 'localhost'", () => {
    expect(checkUrl("https://prometheus.example.com/api", STRICT).href).toBe("https://prometheus.example.com/api");
    expect(checkUrl("http://8.8.8.8:9090", STRICT).hostname).toBe("8.8.8.8");
    expect(checkUrl("http://[2606:4700:4700::1111]:9090", STRICT).hostname).toBe("[2606:4700:4700::1111]");
    expect(checkUrl("http://[2002:808:808::1]:9090", STRICT).hostname).toBe("[2002:808:808::1]"); // 6to4 around 8.8.8.8
    for (const host of ["notlocalhost", "localhostfoo.com", "localhost.example.com", "a.localhost.example.com"]) {
      expect(checkUrl(`http://${host}/`, STRICT).hostname, host).toBe(host);
    }
  });

  it("the operator can allow loopback and private networks, never the metadata address", () => {
    expect(checkUrl("http://127.0.0.1:9090", OPEN).port).toBe("9090");
    expect(checkUrl("http://[::1]:9090", LOOPBACK_ONLY).hostname).toBe("[::1]");
    expect(checkUrl("http://localhost:9090", LOOPBACK_ONLY).hostname).toBe("localhost");
    expect(checkUrl("http://10.1.2.3:9090", PRIVATE_ONLY).hostname).toBe("10.1.2.3");
    expect(() => checkUrl("http://10.1.2.3:9090", LOOPBACK_ONLY)).toThrow(PRIVATE("10.1.2.3"));
    expect(() => checkUrl("http://127.0.0.1:9090", PRIVATE_ONLY)).toThrow(LOOPBACK("127.0.0.1"));
    expect(() => checkUrl("http://localhost:9090", PRIVATE_ONLY)).toThrow("localhost is loopback (set HEADROOM_ALLOW_LOOPBACK=true to allow it)");
    for (const url of ["http://169.254.169.254/", "http://[fd00:ec2::254]/", "http://[fd20:ce::254]/", "http://100.100.100.200/"]) {
      expect(() => checkUrl(url, OPEN), url).toThrow(OutboundBlockedError);
    }
  });

  it("names what it refused and why", () => {
    const e = (() => {
      try {
        checkUrl("http://169.254.169.254/latest/", STRICT);
      } catch (x) {
        return x as OutboundBlockedError;
      }
      throw new Error("accepted");
    })();
    expect(e).toBeInstanceOf(OutboundBlockedError);
    expect(e.name).toBe("OutboundBlockedError");
    expect(e.url).toBe("http://169.254.169.254/latest/");
    expect(e.reason).toBe(LINK_LOCAL("169.254.169.254"));
    expect(String(e)).toBe(`OutboundBlockedError: refused to connect to http://169.254.169.254/latest/: ${LINK_LOCAL("169.254.169.254")}`);
    expect(() => checkUrl("ftp://prom.example.com/", STRICT)).toThrow("refused to connect to ftp://prom.example.com/: scheme ftp: is not allowed (http or https only)");
    expect(() => checkUrl("::", STRICT)).toThrow("refused to connect to ::: not a valid URL");
  });
});

describe("outbound guard: each range at its edges", () => {
  // [first, last] of each range, what it is refused as, the policy that allows it (null: none), the addresses just outside
  const ranges: [string, string, (a: string) => string, OutboundPolicy | null, string[]][] = [
    ["169.254.0.0", "169.254.255.255", LINK_LOCAL, null, ["169.253.255.255", "169.255.0.0"]],
    ["0.0.0.0", "0.255.255.255", THIS_NETWORK, null, ["1.0.0.0"]],
    ["192.0.0.0", "192.0.0.255", UNROUTABLE("192.0.0.0/24, IETF protocol assignments"), null, ["191.255.255.255", "192.0.1.0"]],
    ["192.0.2.0", "192.0.2.255", UNROUTABLE("192.0.2.0/24, TEST-NET-1, for documentation"), null, ["192.0.1.255", "192.0.3.0"]],
    ["192.88.99.0", "192.88.99.255", UNROUTABLE("192.88.99.0/24, the retired 6to4 relay anycast"), null, ["192.88.98.255", "192.88.100.0"]],
    ["198.18.0.0", "198.19.255.255", UNROUTABLE("198.18.0.0/15, for benchmarking"), null, ["198.17.255.255", "198.20.0.0"]],
    ["198.51.100.0", "198.51.100.255", UNROUTABLE("198.51.100.0/24, TEST-NET-2, for documentation"), null, ["198.51.99.255", "198.51.101.0"]],
    ["203.0.113.0", "203.0.113.255", UNROUTABLE("203.0.113.0/24, TEST-NET-3, for documentation"), null, ["203.0.112.255", "203.0.114.0"]],
    ["224.0.0.0", "239.255.255.255", UNROUTABLE("224.0.0.0/4, multicast"), null, ["223.255.255.255"]],
    ["240.0.0.0", "255.255.255.254", UNROUTABLE("240.0.0.0/4, reserved"), null, []],
    ["255.255.255.255", "255.255.255.255", UNROUTABLE("255.255.255.255, broadcast"), null, []],
    ["fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", UNROUTABLE("fe80::/10, link-local"), null, ["fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fec0::"]],
    ["::", "::", UNROUTABLE("::, unspecified: it reaches the local host"), null, []],
    ["100::", "100::ffff:ffff:ffff:ffff", UNROUTABLE("100::/64, discard-only"), null, ["ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "100:0:0:2::"]],
    ["100:0:0:1::", "100::1:ffff:ffff:ffff:ffff", UNROUTABLE("100:0:0:1::/64, dummy prefix"), null, []],
    ["2001::", "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", UNROUTABLE("2001::/23, IETF protocol assignments, Teredo among them"), null, ["2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:200::"]],
    ["2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", UNROUTABLE("2001:db8::/32, for documentation"), null, ["2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::"]],
    ["3fff::", "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", UNROUTABLE("3fff::/20, for documentation"), null, ["3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "3fff:1000::"]],
    ["5f00::", "5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff", UNROUTABLE("5f00::/16, segment routing"), null, ["5eff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "5f01::"]],
    ["ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", UNROUTABLE("ff00::/8, multicast"), null, ["feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]],
    ["fd00:ec2::254", "fd00:ec2::254", METADATA("fd00:ec2::254, AWS IMDS over IPv6"), null, []],
    ["fd20:ce::254", "fd20:ce::254", METADATA("fd20:ce::254, GCP metadata over IPv6"), null, []],
    ["100.100.100.200", "100.100.100.200", METADATA("100.100.100.200, Alibaba Cloud metadata"), null, []],
    ["127.0.0.0", "127.255.255.255", LOOPBACK, LOOPBACK_ONLY, ["126.255.255.255", "128.0.0.0"]],
    ["::1", "::1", LOOPBACK, LOOPBACK_ONLY, []],
    ["10.0.0.0", "10.255.255.255", PRIVATE, PRIVATE_ONLY, ["9.255.255.255", "11.0.0.0"]],
    ["172.16.0.0", "172.31.255.255", PRIVATE, PRIVATE_ONLY, ["172.15.255.255", "172.32.0.0"]],
    ["192.168.0.0", "192.168.255.255", PRIVATE, PRIVATE_ONLY, ["192.167.255.255", "192.169.0.0"]],
    ["100.64.0.0", "100.127.255.255", PRIVATE, PRIVATE_ONLY, ["100.63.255.255", "100.128.0.0"]], // CGNAT
    ["fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", PRIVATE, PRIVATE_ONLY, ["fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe00::"]],
  ];
  for (const [first, last, refusal, allowedBy, outside] of ranges) {
    it(`${first} - ${last}`, () => {
      for (const a of [first, last]) {
        expect(addressRefusal(a, STRICT), a).toBe(refusal(a));
        // the other flag does not open it
        if (allowedBy) expect(addressRefusal(a, allowedBy === LOOPBACK_ONLY ? PRIVATE_ONLY : LOOPBACK_ONLY), a).toBe(refusal(a));
        expect(addressRefusal(a, allowedBy ?? OPEN), a).toBe(allowedBy ? null : refusal(a));
      }
      for (const a of outside) expect(addressRefusal(a, STRICT), a).toBeNull();
    });
  }

  it("the metadata addresses inside private ranges stay refused while their neighbours follow the policy", () => {
    expect(addressRefusal("100.100.100.199", STRICT)).toBe(PRIVATE("100.100.100.199"));
    expect(addressRefusal("100.100.100.201", OPEN)).toBeNull();
    expect(addressRefusal("fd00:ec2::253", STRICT)).toBe(PRIVATE("fd00:ec2::253"));
    expect(addressRefusal("fd00:ec2::253", OPEN)).toBeNull();
  });
});

describe("outbound guard: IPv6 spellings of an IPv4 address are judged as that IPv4 address", () => {
  const reaching: [string, OutboundPolicy, string | null][] = [
    ["::ffff:169.254.169.254", OPEN, LINK_LOCAL("169.254.169.254")], // IPv4-mapped
    ["::ffff:a9fe:a9fe", OPEN, LINK_LOCAL("169.254.169.254")],
    ["::FFFF:A9FE:A9FE", OPEN, LINK_LOCAL("169.254.169.254")],
    ["0:0:0:0:0:ffff:a9fe:a9fe", OPEN, LINK_LOCAL("169.254.169.254")],
    ["::ffff:169.254.169.254%eth0", OPEN, LINK_LOCAL("169.254.169.254")], // with a zone, as DNS may answer
    ["::a9fe:a9fe", OPEN, LINK_LOCAL("169.254.169.254")], // IPv4-compatible
    ["::169.254.169.254", OPEN, LINK_LOCAL("169.254.169.254")],
    ["::ffff:0:a9fe:a9fe", OPEN, LINK_LOCAL("169.254.169.254")], // IPv4-translated
    ["::ffff:0:169.254.169.254", OPEN, LINK_LOCAL("169.254.169.254")],
    ["64:ff9b::a9fe:a9fe", OPEN, LINK_LOCAL("169.254.169.254")], // NAT64
    ["64:ff9b::169.254.169.254", OPEN, LINK_LOCAL("169.254.169.254")],
    ["64:ff9b:0:0:0:0:a9fe:a9fe", OPEN, LINK_LOCAL("169.254.169.254")],
    ["64:ff9b:1::a9fe:a9fe", OPEN, LINK_LOCAL("169.254.169.254")], // local-use NAT64 (RFC 8215)
    ["64:ff9b:1:abcd::a9fe:a9fe", OPEN, LINK_LOCAL("169.254.169.254")],
    ["64:ff9b:1::a01:203", STRICT, PRIVATE("10.1.2.3")],
    ["::ffff:127.0.0.1", STRICT, LOOPBACK("127.0.0.1")],
    ["::ffff:127.0.0.1", LOOPBACK_ONLY, null],
    ["::ffff:10.1.2.3", STRICT, PRIVATE("10.1.2.3")],
    ["::ffff:0.0.1.1", OPEN, THIS_NETWORK("0.0.1.1")],
    ["::ffff:198.51.100.7", OPEN, UNROUTABLE("198.51.100.0/24, TEST-NET-2, for documentation")("198.51.100.7")],
    ["64:ff9b::203.0.113.9", OPEN, UNROUTABLE("203.0.113.0/24, TEST-NET-3, for documentation")("203.0.113.9")], // NAT64 around a documentation address
    ["2002:a9fe:a9fe::", OPEN, LINK_LOCAL("169.254.169.254")], // 6to4 (RFC 3056): 2002:<IPv4>::/48
    ["2002:a9fe:a9fe:1:2:3:4:5", OPEN, LINK_LOCAL("169.254.169.254")],
    ["2002:c0a8:101::1", STRICT, PRIVATE("192.168.1.1")],
    ["2002:c0a8:101::1", PRIVATE_ONLY, null],
    ["2002::1", OPEN, THIS_NETWORK("0.0.0.0")],
    ["2002:808:808::1", STRICT, null], // 6to4 around 8.8.8.8
    ["::ffff:8.8.8.8", STRICT, null],
  ];
  for (const [address, policy, refusal] of reaching) {
    it(`${address} → ${refusal ?? "allowed"}`, () => expect(addressRefusal(address, policy)).toBe(refusal));
  }

  it("IPv6 addresses that only end like an IPv4 address are judged as themselves", () => {
    for (const address of [
      "2606:4700::a9fe:a9fe",
      "1::a9fe:a9fe",
      "::1:a9fe:a9fe",
      "1::ffff:0:a9fe:a9fe",
      "::fffe:0:a9fe:a9fe",
      "::ffff:1:a9fe:a9fe",
      "64:ff9a::a9fe:a9fe",
      "65:ff9b::a9fe:a9fe",
      "64:ff9b:0:0:0:1:a9fe:a9fe",
    ]) {
      expect(addressRefusal(address, STRICT), address).toBeNull();
    }
  });

  it(":: and ::1 are IPv6 addresses of their own, and an IPv4 address is never read as IPv6", () => {
    expect(addressRefusal("::1", OPEN)).toBeNull();
    expect(addressRefusal("::1", STRICT)).toBe(LOOPBACK("::1"));
    expect(addressRefusal("::", OPEN)).toBe(UNROUTABLE("::, unspecified: it reaches the local host")("::"));
    expect(addressRefusal("0.100.255.155", STRICT)).toBe(THIS_NETWORK("0.100.255.155"));
  });

  it("a name is not an address", () => {
    expect(addressRefusal("prometheus.example.com", OPEN)).toBe('"prometheus.example.com" is not an IP address');
  });
});

describe("outbound guard: the address DNS answers at connect time", () => {
  const answers: Record<string, dns.LookupAddress[]> = {
    "rebind.example.com": [{ address: "169.254.169.254", family: 4 }],
    "split.example.com": [
      { address: "93.184.216.34", family: 4 },
      { address: "10.0.0.7", family: 4 },
    ],
    "loopback.example.com": [{ address: "127.0.0.1", family: 4 }],
    "ok.example.com": [
      { address: "93.184.216.34", family: 4 },
      { address: "2606:2800:220:1:248:1893:25c8:1946", family: 6 },
    ],
    "empty.example.com": [],
  };
  const outage = Object.assign(new Error("getaddrinfo EAI_AGAIN down.example.com"), { code: "EAI_AGAIN" });

  /** A resolver that behaves as dns.lookup does: every address with `all`, else the first one. Records the options it got. */
  function fakeDns() {
    const asked: dns.LookupAllOptions[] = [];
    const lookup = ((host: string, options: dns.LookupOptions, cb: (e: NodeJS.ErrnoException | null, a?: unknown, f?: number) => void) => {
      asked.push({ ...options, all: true });
      if (host === "down.example.com") return cb(outage);
      const list = answers[host] ?? [];
      if (options.all) return cb(null, list);
      cb(null, list[0]?.address, list[0]?.family);
    }) as unknown as Resolve;
    return { lookup, asked };
  }

  const run = (policy: OutboundPolicy, host: string, options: dns.LookupOptions = {}) =>
    new Promise<{ address: string | dns.LookupAddress[] | undefined; family: number | undefined }>((resolve, reject) =>
      guardedLookup(policy)(host, options, (e, address, family) => (e ? reject(e) : resolve({ address, family }))),
    );

  it("refuses a name that resolves to the metadata address, with the error the socket reports", async () => {
    const { lookup } = fakeDns();
    const e = (await run({ ...OPEN, lookup }, "rebind.example.com").catch((x: unknown) => x)) as OutboundBlockedError & NodeJS.ErrnoException;
    expect(e).toBeInstanceOf(OutboundBlockedError);
    expect(e.code).toBe("EHEADROOMBLOCKED");
    expect(e.url).toBe("rebind.example.com");
    expect(e.message).toBe(`refused to connect to rebind.example.com: rebind.example.com resolves to ${LINK_LOCAL("169.254.169.254")}`);
  });

  it("refuses a name when any of its addresses is refused, and follows the policy for loopback", async () => {
    const { lookup } = fakeDns();
    await expect(run({ ...STRICT, lookup }, "split.example.com", { all: true })).rejects.toThrow(`split.example.com resolves to ${PRIVATE("10.0.0.7")}`);
    await expect(run({ ...STRICT, lookup }, "loopback.example.com")).rejects.toThrow(`loopback.example.com resolves to ${LOOPBACK("127.0.0.1")}`);
    await expect(run({ ...LOOPBACK_ONLY, lookup }, "loopback.example.com")).resolves.toEqual({ address: "127.0.0.1", family: 4 });
  });

  it("asks the resolver for every address (keeping the caller's options) and answers in the form the caller asked for", async () => {
    const { lookup, asked } = fakeDns();
    await expect(run({ ...STRICT, lookup }, "ok.example.com", { family: 0, hints: 32 })).resolves.toEqual({ address: "93.184.216.34", family: 4 });
    await expect(run({ ...STRICT, lookup }, "ok.example.com", { all: true })).resolves.toEqual({ address: answers["ok.example.com"], family: undefined });
    expect(asked).toEqual([
      { family: 0, hints: 32, all: true },
      { all: true },
    ]);
  });

  it("passes a resolver failure through unchanged, and calls an empty answer not found", async () => {
    const { lookup } = fakeDns();
    await expect(run({ ...STRICT, lookup }, "down.example.com")).rejects.toBe(outage);
    const e = (await run({ ...STRICT, lookup }, "empty.example.com").catch((x: unknown) => x)) as NodeJS.ErrnoException;
    expect(e.code).toBe("ENOTFOUND");
    expect(e.message).toBe("empty.example.com did not resolve");
  });

  it("an explicit resolver argument wins over the policy's", async () => {
    const { lookup } = fakeDns();
    const never = (() => {
      throw new Error("the policy's resolver was asked");
    }) as unknown as Resolve;
    const answer = await new Promise((resolve, reject) => guardedLookup({ ...STRICT, lookup: never }, lookup)("ok.example.com", {}, (e, a) => (e ? reject(e) : resolve(a))));
    expect(answer).toBe("93.184.216.34");
  });
});

describe("outbound guard: the server's own addresses", () => {
  const OWN = (a: string) => `${a} is an address of this server (its own services listen there)`;
  const nic = (address: string, internal = false): os.NetworkInterfaceInfo =>
    (address.includes(":")
      ? { address, family: "IPv6", internal, netmask: "ffff:ffff:ffff:ffff::", mac: "02:00:00:00:00:01", cidr: `${address}/64`, scopeid: 0 }
      : { address, family: "IPv4", internal, netmask: "255.255.255.0", mac: "02:00:00:00:00:01", cidr: `${address}/24` });
  // a host with a public and a private NIC address, a container bridge, and loopback
  const interfaces = (): NodeJS.Dict<os.NetworkInterfaceInfo[]> => ({
    lo: [nic("127.0.0.1", true), nic("::1", true)],
    eth0: [nic("93.184.216.34"), nic("2a01:4f8:c17:1234::2"), nic("fe80::1:2")],
    eth1: [nic("10.20.30.40")],
    docker0: [nic("172.17.0.1")],
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const table: [string, OutboundPolicy, string | null][] = [
    ["93.184.216.34", OPEN, OWN("93.184.216.34")], // public, but this host's own
    ["10.20.30.40", OPEN, OWN("10.20.30.40")], // private networks allowed: not this host's own address
    ["10.20.30.40", STRICT, OWN("10.20.30.40")],
    ["172.17.0.1", OPEN, OWN("172.17.0.1")],
    ["2a01:4f8:c17:1234::2", OPEN, OWN("2a01:4f8:c17:1234::2")],
    ["2a01:04f8:0c17:1234:0:0:0:2", OPEN, OWN("2a01:04f8:0c17:1234:0:0:0:2")], // another spelling of it
    ["::ffff:10.20.30.40", OPEN, OWN("10.20.30.40")], // IPv4-mapped
    ["::ffff:5db8:d822", OPEN, OWN("93.184.216.34")],
    ["64:ff9b::5db8:d822", OPEN, OWN("93.184.216.34")], // NAT64
    // loopback follows the policy: HEADROOM_ALLOW_LOOPBACK=true reaches a Prometheus on 127.0.0.1
    ["127.0.0.1", LOOPBACK_ONLY, null],
    ["::1", LOOPBACK_ONLY, null],
    ["127.0.0.1", STRICT, LOOPBACK("127.0.0.1")],
    // the neighbours are other machines
    ["93.184.216.35", STRICT, null],
    ["10.20.30.41", PRIVATE_ONLY, null],
    ["172.17.0.2", OPEN, null],
    ["2a01:4f8:c17:1234::3", STRICT, null],
  ];
  for (const [address, policy, refusal] of table) {
    it(`${address} → ${refusal ?? "allowed"}`, () => {
      vi.spyOn(os, "networkInterfaces").mockImplementation(interfaces);
      expect(addressRefusal(address, policy)).toBe(refusal);
    });
  }

  it("refuses the URL and a name that resolves to the address, and reads the interfaces on every check", async () => {
    const spy = vi.spyOn(os, "networkInterfaces").mockImplementation(interfaces);
    expect(() => checkUrl("http://10.20.30.40:5432/", OPEN)).toThrow(`refused to connect to http://10.20.30.40:5432/: ${OWN("10.20.30.40")}`);
    expect(() => checkUrl("http://[2a01:4f8:c17:1234::2]:3000/", OPEN)).toThrow(OWN("2a01:4f8:c17:1234::2"));
    const lookup = ((_h: string, _o: unknown, cb: (e: null, a: dns.LookupAddress[]) => void) => cb(null, [{ address: "93.184.216.34", family: 4 }])) as unknown as Resolve;
    const e = await new Promise((resolve) => guardedLookup({ ...OPEN, lookup })("headroom.example.com", {}, resolve));
    expect(e).toBeInstanceOf(OutboundBlockedError);
    expect((e as Error).message).toBe(`refused to connect to headroom.example.com: headroom.example.com resolves to ${OWN("93.184.216.34")}`);
    // the address moved to another machine (DHCP): it is reachable again
    spy.mockImplementation(() => ({ lo: [nic("127.0.0.1", true)], eth0: [nic("93.184.216.99")] }));
    expect(addressRefusal("93.184.216.34", OPEN)).toBeNull();
    expect(addressRefusal("93.184.216.99", OPEN)).toBe(OWN("93.184.216.99"));
  });

  it("every address of this machine's real interfaces is refused, loopback only without HEADROOM_ALLOW_LOOPBACK", () => {
    const all = Object.values(os.networkInterfaces()).flatMap((l) => l ?? []);
    expect(all.length).toBeGreaterThan(0);
    for (const i of all) {
      const loopback = i.address === "::1" || i.address.startsWith("127.");
      expect(addressRefusal(i.address, OPEN), i.address).toEqual(loopback ? null : expect.stringMatching(/ is (an address of this server|not a routable address|link-local)/));
      expect(addressRefusal(i.address, STRICT), i.address).not.toBeNull();
    }
  });
});

describe("outbound guard: credentials in the query string", () => {
  const MESSAGE = (name: string) =>
    `refused to connect to the URL: the query string carries a credential (${name}): put it in the authentication settings or a custom header, which are stored encrypted, not in the URL`;
  const refused = ["token", "access_token", "Password", "SECRET", "apikey", "api_key", "apiKey", "api-key", "X-API-Key", "key", "auth", "signature", "X-Amz-Signature", "client_secret", "AUTH_TOKEN", "accessToken", "sig", "jwt"];
  for (const name of refused) {
    it(`refuses ?${name}=… without echoing its value`, () => {
      const url = `https://prometheus.example.com/api?tenant=a&${encodeURIComponent(name)}=s3cr3t-value`;
      const e = (() => {
        try {
          checkUrl(url, OPEN);
        } catch (x) {
          return x as OutboundBlockedError;
        }
        throw new Error(`${url} was accepted`);
      })();
      expect(e).toBeInstanceOf(OutboundBlockedError);
      expect(e.message).toBe(MESSAGE(name));
      expect(e.url).toBe("the URL");
      expect(e.message).not.toContain("s3cr3t");
    });
  }

  it("lets other parameters through, including names that merely contain a credential word", () => {
    for (const query of ["query=up", "tenant=team-a", "dedup=true&partial_response=false", "monkey=1", "keyboard=2", "authority=x", "tokens_total=3", "", "key"]) {
      const url = `https://prometheus.example.com/api${query ? `?${query}` : ""}`;
      expect(credentialParameter(new URL(url)), url).toBe(query === "key" ? "key" : null);
    }
    expect(checkUrl("https://prometheus.example.com/api?tenant=team-a", STRICT).search).toBe("?tenant=team-a");
  });
});

describe("outbound guard: a URL checked when it is saved, with the DNS answer", () => {
  const zone: Record<string, string[]> = {
    "prometheus.example.com": ["93.184.216.34"],
    "metadata.attacker.test": ["169.254.169.254"],
    "mixed.attacker.test": ["93.184.216.34", "10.0.0.7"],
    "docs.attacker.test": ["2001:db8::5"],
  };
  const resolver = () => {
    const asked: string[] = [];
    const lookup = ((host: string, _o: unknown, cb: (e: NodeJS.ErrnoException | null, a: dns.LookupAddress[]) => void) => {
      asked.push(host);
      const list = zone[host];
      setImmediate(() => (list ? cb(null, list.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }))) : cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" }), [])));
    }) as unknown as Resolve;
    return { lookup, asked };
  };

  it("refuses a name that resolves to a refused address, through the policy's resolver", async () => {
    const { lookup, asked } = resolver();
    await expect(checkUrlResolved("http://metadata.attacker.test/latest/", { ...OPEN, lookup })).rejects.toThrow(
      `refused to connect to http://metadata.attacker.test/latest/: metadata.attacker.test resolves to ${LINK_LOCAL("169.254.169.254")}`,
    );
    await expect(checkUrlResolved("http://mixed.attacker.test/", { ...STRICT, lookup })).rejects.toThrow(`mixed.attacker.test resolves to ${PRIVATE("10.0.0.7")}`);
    await expect(checkUrlResolved("http://docs.attacker.test/", { ...OPEN, lookup })).rejects.toThrow(OutboundBlockedError);
    expect(asked).toEqual(["metadata.attacker.test", "mixed.attacker.test", "docs.attacker.test"]);
  });

  it("accepts a name that resolves to allowed addresses, or (for the connect-time check to judge) not at all", async () => {
    const { lookup, asked } = resolver();
    expect((await checkUrlResolved("https://prometheus.example.com/prom", { ...STRICT, lookup })).href).toBe("https://prometheus.example.com/prom");
    expect((await checkUrlResolved("http://mixed.attacker.test/", { ...PRIVATE_ONLY, lookup })).hostname).toBe("mixed.attacker.test");
    expect((await checkUrlResolved("http://nowhere.example.com/", { ...STRICT, lookup })).hostname).toBe("nowhere.example.com");
    const silent = (() => undefined) as unknown as Resolve;
    expect((await checkUrlResolved("http://slow.example.com/", { ...STRICT, lookup: silent }, 20)).hostname).toBe("slow.example.com");
    expect(asked).toEqual(["prometheus.example.com", "mixed.attacker.test", "nowhere.example.com"]);
  });

  it("checks the URL itself first, and asks no resolver for an address", async () => {
    const { lookup, asked } = resolver();
    await expect(checkUrlResolved("http://169.254.169.254/", { ...OPEN, lookup })).rejects.toThrow(LINK_LOCAL("169.254.169.254"));
    await expect(checkUrlResolved("http://prometheus.example.com/?token=x", { ...OPEN, lookup })).rejects.toThrow(/carries a credential \(token\)/);
    await expect(checkUrlResolved("http://u:p@prometheus.example.com/", { ...OPEN, lookup })).rejects.toThrow(/credentials in the URL are not allowed/);
    expect((await checkUrlResolved("http://8.8.8.8:9090/", { ...STRICT, lookup })).port).toBe("9090");
    expect(asked).toEqual([]);
  });
});

describe("what a foreign server says, made fit to show", () => {
  const table: [string, string, number?][] = [
    ["HTTP 502 bad gateway", "HTTP 502 bad gateway"],
    ["line one\r\nline two\n\tthree", "line one line two three"],
    ["\u001b[31mred\u001b[0m and \u001b[2J cleared", "red and cleared"], // terminal escape sequences whole
    ["nul\u0000bel\u0007del\u007fc1\u0085end", "nul bel del c1 end"],
    ["abc\u202egnp.exe\u200b\u2066x\ufeff", "abc gnp.exe x"], // bidi override, zero-width, isolates, BOM
    ["   ", ""],
    ["x".repeat(300), `${"x".repeat(199)}…`],
    ["word ".repeat(100), `${"word ".repeat(39)}word…`],
    ["2.53.0\n<b>build</b>", "2.53…", 5],
  ];
  for (const [text, shown, max] of table) {
    it(JSON.stringify(text.slice(0, 40)), () => {
      const line = remoteLine(text, max);
      expect(line).toBe(shown);
      expect(line.length).toBeLessThanOrEqual(max ?? 200);
    });
  }
});

describe("outbound policy from the environment", () => {
  it("is closed unless a flag says 1, true or yes (any case, spaces around)", () => {
    expect(policyFromEnv({})).toEqual({ allowLoopback: false, allowPrivate: false });
    for (const yes of ["1", "true", "TRUE", "Yes", " yes "]) {
      expect(policyFromEnv({ HEADROOM_ALLOW_LOOPBACK: yes }), yes).toEqual({ allowLoopback: true, allowPrivate: false });
      expect(policyFromEnv({ HEADROOM_ALLOW_PRIVATE_NETWORKS: yes }), yes).toEqual({ allowLoopback: false, allowPrivate: true });
    }
    for (const no of ["", "0", "false", "no", "on", "truex", "xtrue", "yes please", "11"]) {
      expect(policyFromEnv({ HEADROOM_ALLOW_LOOPBACK: no, HEADROOM_ALLOW_PRIVATE_NETWORKS: no }), JSON.stringify(no)).toEqual({ allowLoopback: false, allowPrivate: false });
    }
  });

  it("reads the process environment by default", () => {
    const before = process.env.HEADROOM_ALLOW_PRIVATE_NETWORKS;
    process.env.HEADROOM_ALLOW_PRIVATE_NETWORKS = "true";
    try {
      expect(policyFromEnv().allowPrivate).toBe(true);
    } finally {
      if (before === undefined) delete process.env.HEADROOM_ALLOW_PRIVATE_NETWORKS;
      else process.env.HEADROOM_ALLOW_PRIVATE_NETWORKS = before;
    }
  });
});
