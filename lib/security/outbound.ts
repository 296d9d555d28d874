import dns from "node:dns";
import net from "node:net";
import os from "node:os";

/**
 * Outbound-request guard for every server-side fetch to a URL a user typed (a Prometheus endpoint,
 * later webhooks). Always refused: link-local addresses (169.254.0.0/16 with the cloud metadata
 * service, fe80::/10), the other metadata addresses, the special-purpose ranges of the IANA IPv4 and
 * IPv6 registries that are not reachable on the internet (documentation, benchmarking, multicast,
 * reserved…), and the addresses of this server's own network interfaces (its internal services
 * listen there). Loopback and private ranges only when the operator allows them. The check runs on
 * the URL, again on the address DNS resolves at connect time (DNS rebinding), and again on every
 * redirect; a URL is also checked, with its DNS answer, when it is saved (checkUrlResolved).
 */

export interface OutboundPolicy {
  /** 127.0.0.0/8, ::1 — HEADROOM_ALLOW_LOOPBACK=true */
  allowLoopback: boolean;
  /** 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT), fc00::/7 — HEADROOM_ALLOW_PRIVATE_NETWORKS=true */
  allowPrivate: boolean;
  /**
   * The resolver the connect-time check asks (dns.lookup when absent). It travels with the policy so
   * that every client built from it resolves through it: tests answer the addresses they need.
   */
  lookup?: Resolve;
}

/** A resolver answering every address of a name, as dns.lookup does with `all: true`. */
export type Resolve = (hostname: string, options: dns.LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void;

export class OutboundBlockedError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`refused to connect to ${url}: ${reason}`);
    this.name = "OutboundBlockedError";
  }
}

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes)$/i.test(v.trim());

/** The policy the operator set with environment variables (both off by default). */
export function policyFromEnv(env: Record<string, string | undefined> = process.env): OutboundPolicy {
  return { allowLoopback: truthy(env.HEADROOM_ALLOW_LOOPBACK), allowPrivate: truthy(env.HEADROOM_ALLOW_PRIVATE_NETWORKS) };
}

type Family = "ipv4" | "ipv6";
/** A refused range: its address and prefix, and what it is (said in the refusal). */
type Range = [string, number, Family, string];
const METADATA = "a cloud metadata address";
const UNROUTABLE = "not a routable address";
/**
 * Refused whatever the policy says, most specific first (the first match names the range). The
 * IANA IPv4 and IPv6 special-purpose address registries, less what is reachable on the internet
 * (and loopback, private, which follow the policy). IPv6 spellings of an IPv4 address (mapped,
 * translated, NAT64, 6to4) never get here: they are judged as that IPv4 address.
 */
const ALWAYS: Range[] = [
  ["169.254.0.0", 16, "ipv4", "link-local (169.254.0.0/16, where the cloud metadata service lives)"],
  // cloud metadata services outside link-local: AWS IMDS over IPv6, GCP over IPv6, Alibaba Cloud
  ["fd00:ec2::254", 128, "ipv6", `${METADATA} (fd00:ec2::254, AWS IMDS over IPv6)`],
  ["fd20:ce::254", 128, "ipv6", `${METADATA} (fd20:ce::254, GCP metadata over IPv6)`],
  ["100.100.100.200", 32, "ipv4", `${METADATA} (100.100.100.200, Alibaba Cloud metadata)`],
  ["0.0.0.0", 8, "ipv4", `${UNROUTABLE} (0.0.0.0/8, "this network": 0.0.0.0 reaches the local host on Linux)`],
  ["192.0.0.0", 24, "ipv4", `${UNROUTABLE} (192.0.0.0/24, IETF protocol assignments)`],
  ["192.0.2.0", 24, "ipv4", `${UNROUTABLE} (192.0.2.0/24, TEST-NET-1, for documentation)`],
  ["192.88.99.0", 24, "ipv4", `${UNROUTABLE} (192.88.99.0/24, the retired 6to4 relay anycast)`],
  ["198.18.0.0", 15, "ipv4", `${UNROUTABLE} (198.18.0.0/15, for benchmarking)`],
  ["198.51.100.0", 24, "ipv4", `${UNROUTABLE} (198.51.100.0/24, TEST-NET-2, for documentation)`],
  ["203.0.113.0", 24, "ipv4", `${UNROUTABLE} (203.0.113.0/24, TEST-NET-3, for documentation)`],
  ["224.0.0.0", 4, "ipv4", `${UNROUTABLE} (224.0.0.0/4, multicast)`],
  ["255.255.255.255", 32, "ipv4", `${UNROUTABLE} (255.255.255.255, broadcast)`],
  ["240.0.0.0", 4, "ipv4", `${UNROUTABLE} (240.0.0.0/4, reserved)`],
  ["::", 128, "ipv6", `${UNROUTABLE} (::, unspecified: it reaches the local host)`],
  ["100::", 64, "ipv6", `${UNROUTABLE} (100::/64, discard-only)`],
  ["100:0:0:1::", 64, "ipv6", `${UNROUTABLE} (100:0:0:1::/64, dummy prefix)`],
  ["2001::", 23, "ipv6", `${UNROUTABLE} (2001::/23, IETF protocol assignments, Teredo among them)`],
  ["2001:db8::", 32, "ipv6", `${UNROUTABLE} (2001:db8::/32, for documentation)`],
  ["3fff::", 20, "ipv6", `${UNROUTABLE} (3fff::/20, for documentation)`],
  ["5f00::", 16, "ipv6", `${UNROUTABLE} (5f00::/16, segment routing)`],
  ["fe80::", 10, "ipv6", `${UNROUTABLE} (fe80::/10, link-local)`],
  ["ff00::", 8, "ipv6", `${UNROUTABLE} (ff00::/8, multicast)`],
];
const LOOPBACK: Range[] = [
  ["127.0.0.0", 8, "ipv4", "a loopback address (set HEADROOM_ALLOW_LOOPBACK=true to allow it)"],
  ["::1", 128, "ipv6", "a loopback address (set HEADROOM_ALLOW_LOOPBACK=true to allow it)"],
];
const PRIVATE_NETWORKS: Range[] = [
  ["10.0.0.0", 8, "ipv4", ""],
  ["172.16.0.0", 12, "ipv4", ""],
  ["192.168.0.0", 16, "ipv4", ""],
  ["100.64.0.0", 10, "ipv4", ""],
  ["fc00::", 7, "ipv6", ""],
].map(([a, p, t]) => [a, p, t, "a private address (set HEADROOM_ALLOW_PRIVATE_NETWORKS=true to allow it)"] as Range);

/** One BlockList per range, so that a match names its range. */
function matcher(ranges: Range[]) {
  const lists = ranges.map(([address, prefix, type, what]) => {
    const list = new net.BlockList();
    list.addSubnet(address, prefix, type);
    return { list, type, what };
  });
  return (address: string, type: Family) => lists.find((l) => l.type === type && l.list.check(address, type))?.what ?? null;
}
let lists: { always: ReturnType<typeof matcher>; loopback: ReturnType<typeof matcher>; privateNets: ReturnType<typeof matcher> } | undefined;
// built on first use, not at import: a malformed range then fails every check (and its tests) loudly
// instead of failing the module load
const blockLists = () => (lists ??= { always: matcher(ALWAYS), loopback: matcher(LOOPBACK), privateNets: matcher(PRIVATE_NETWORKS) });

/**
 * Whether the address is one of this server's own, other than loopback: a URL to the host's own
 * NIC address reaches the services that listen on it (the database, the app's own port) as
 * loopback would, whatever the policy says of private networks. Read on every check: interfaces
 * come and go (DHCP, containers).
 */
function isOwnAddress(address: string, type: Family): boolean {
  const own = new net.BlockList();
  for (const list of Object.values(os.networkInterfaces())) {
    for (const i of list ?? []) {
      const t: Family = i.family === "IPv4" ? "ipv4" : "ipv6";
      // loopback follows the policy (tests and same-machine setups reach 127.0.0.1 with HEADROOM_ALLOW_LOOPBACK)
      if (t === type && net.isIP(i.address) && !blockLists().loopback(i.address, t)) own.addAddress(i.address, t);
    }
  }
  return own.check(address, type);
}

/** The eight 16-bit groups of an address net.isIP calls IPv6 (a dotted IPv4 tail folded in, a zone dropped). */
function ipv6Groups(address: string): number[] {
  let a = address.split("%")[0]!;
  const cut = a.lastIndexOf(":") + 1;
  const quad = a.slice(cut);
  if (quad.includes(".")) {
    const [b0, b1, b2, b3] = quad.split(".").map(Number) as [number, number, number, number];
    a = `${a.slice(0, cut)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [left, right] = a.split("::");
  const head = left ? left.split(":") : [];
  const rest = right ? right.split(":") : [];
  return [...head, ...Array<string>(8 - head.length - rest.length).fill("0"), ...rest].map((g) => parseInt(g, 16));
}

/**
 * The IPv4 address an IPv6 address reaches: inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
 * (::a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::a.b.c.d, 64:ff9b:1::/48) or 6to4
 * (2002:aabb:ccdd::/48) address; else null.
 */
function embeddedIPv4(address: string): string | null {
  const g = ipv6Groups(address);
  const v4 = () => `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4();
  // the local-use NAT64 prefix (RFC 8215), as a /96 translator uses it: the last 32 bits are the IPv4 address
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return v4();
  // 6to4 (RFC 3056): the IPv4 address a relay tunnels to is the 32 bits after 2002
  if (g[0] === 0x2002) return `${g[1]! >> 8}.${g[1]! & 255}.${g[2]! >> 8}.${g[2]! & 255}`;
  if (g.slice(0, 4).every((x) => x === 0) && g[4] === 0xffff && g[5] === 0) return v4();
  if (g.slice(0, 5).some((x) => x !== 0) || (g[5] !== 0xffff && g[5] !== 0)) return null;
  if (g[5] === 0 && g[6] === 0) return null; // ::, ::1 and friends are IPv6 addresses of their own
  return v4();
}

/** Why this IP address is refused under the policy, or null when it may be reached. */
export function addressRefusal(address: string, policy: OutboundPolicy): string | null {
  const family = net.isIP(address);
  if (family === 0) return `"${address}" is not an IP address`;
  if (family === 6) {
    const v4 = embeddedIPv4(address);
    if (v4) return addressRefusal(v4, policy);
  }
  const type = family === 4 ? "ipv4" : "ipv6";
  const bare = address.split("%")[0]!;
  const { always, loopback, privateNets } = blockLists();
  const what = always(bare, type);
  if (what) return `${address} is ${what}`;
  if (isOwnAddress(bare, type)) return `${address} is an address of this server (its own services listen there)`;
  const local = loopback(bare, type);
  if (local && !policy.allowLoopback) return `${address} is ${local}`;
  const inside = privateNets(bare, type);
  if (inside && !policy.allowPrivate) return `${address} is ${inside}`;
  return null;
}

/** Query parameters that carry a credential: token, access_token, password, secret, api_key, key, auth, signature… */
const CREDENTIAL_WORDS = new Set(["token", "password", "passwd", "pwd", "secret", "apikey", "key", "auth", "authorization", "signature", "sig", "credential", "credentials", "jwt"]);

/** The first query parameter of the URL whose name says it carries a credential, or null. */
export function credentialParameter(url: URL): string | null {
  for (const name of new Set(url.searchParams.keys())) {
    // access_token, X-Amz-Signature, apiKey, api-key: the words of the name, split at separators and camelCase
    const words = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().split(/[^a-z0-9]+/);
    if (words.some((w) => CREDENTIAL_WORDS.has(w)) || CREDENTIAL_WORDS.has(name.toLowerCase().replace(/[^a-z0-9]/g, ""))) return name;
  }
  return null;
}

/** Said when a URL carries a credential in its query string. */
export const credentialParameterMessage = (name: string) =>
  `the query string carries a credential (${name}): put it in the authentication settings or a custom header, which are stored encrypted, not in the URL`;

/**
 * Validates a user-supplied URL before any connection: http(s) only, no credentials in the URL (as
 * user:password@ or as a query parameter named like a credential), and a host that is not a refused
 * address. WHATWG parsing already turns decimal, hex and octal IPv4
 * spellings (http://2852039166/, http://0xa9fea9fe/) into dotted form, so they are caught here.
 */
export function checkUrl(raw: string, policy: OutboundPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundBlockedError(raw, "not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new OutboundBlockedError(raw, `scheme ${url.protocol} is not allowed (http or https only)`);
  if (url.username || url.password) throw new OutboundBlockedError("the URL", "credentials in the URL are not allowed (use the auth settings)");
  // the URL is stored and shown in clear, and logged by proxies on the way: never with a secret in it
  const parameter = credentialParameter(url);
  if (parameter) throw new OutboundBlockedError("the URL", credentialParameterMessage(parameter));
  if (/\/\/|\\/.test(url.pathname)) throw new OutboundBlockedError(raw, "the path may not contain // or \\");
  // brackets appear in a hostname only around an IPv6 address
  const host = url.hostname.replace(/[[\]]/g, "");
  if (net.isIP(host)) {
    const refusal = addressRefusal(host, policy);
    if (refusal) throw new OutboundBlockedError(raw, refusal);
  } else if (/(^|\.)localhost\.?$/.test(host) && !policy.allowLoopback) {
    throw new OutboundBlockedError(raw, `${host} is loopback (set HEADROOM_ALLOW_LOOPBACK=true to allow it)`);
  }
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address?: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request that resolves the name and refuses the connection when any
 * resolved address is refused: the check happens on the address actually connected to, so a name
 * that resolves to a public address at validation and to 169.254.169.254 at connect time is caught.
 * A refusal is an OutboundBlockedError with code EHEADROOMBLOCKED, the error the socket reports.
 */
export function guardedLookup(policy: OutboundPolicy, resolve: Resolve = policy.lookup ?? dns.lookup) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    resolve(hostname, { ...options, all: true }, (err, list) => {
      if (err) return callback(err);
      for (const a of list) {
        const refusal = addressRefusal(a.address, policy);
        if (refusal) {
          const e = new OutboundBlockedError(hostname, `${hostname} resolves to ${refusal}`) as OutboundBlockedError & NodeJS.ErrnoException;
          e.code = "EHEADROOMBLOCKED";
          return callback(e);
        }
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} did not resolve`), { code: "ENOTFOUND" }));
      callback(null, first.address, first.family);
    });
  };
}

/**
 * checkUrl, and for a host name also the addresses it resolves to now, through the policy's
 * resolver (the one connections use): for a URL that is about to be saved, so that a name pointing
 * at a refused address is refused when it is typed, not at the first sync. A name that does not
 * resolve (yet), or a resolver that does not answer within `timeoutMs`, passes: the connect-time
 * check still runs on every connection.
 */
export async function checkUrlResolved(raw: string, policy: OutboundPolicy, timeoutMs = 5000): Promise<URL> {
  const url = checkUrl(raw, policy);
  const host = url.hostname.replace(/[[\]]/g, "");
  if (net.isIP(host)) return url;
  const refusal = await new Promise<OutboundBlockedError | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    try {
      guardedLookup(policy)(host, { all: true }, (err) => {
        clearTimeout(timer);
        resolve(err instanceof OutboundBlockedError ? err : null);
      });
    } catch {
      clearTimeout(timer);
      resolve(null);
    }
  });
  if (refusal) throw new OutboundBlockedError(raw, refusal.reason);
  return url;
}

/**
 * Text a foreign server sent (an error message, a version), made fit to show: one line, no control
 * or invisible formatting characters (C0, C1, DEL, terminal escape sequences, zero-width, bidi
 * overrides), at most `max` characters (cut with …). What a server answers is never shown beyond that.
 */
export function remoteLine(text: string, max = 200): string {
  const line = text
    // terminal escape sequences whole (colours, cursor moves), then any other control character
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, " ")
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}
