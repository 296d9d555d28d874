import { Gi, Ki, Mi } from "./quantity";
import type { ContainerInput } from "./types";

/**
 * Runtime heap ceilings read from a container's env and command (contract: "the recommendation
 * leaves the runtime room"): JVM -Xmx / -XX:MaxHeapSize / -XX:MaxRAM / -XX:MaxRAMPercentage, Node.js
 * --max-old-space-size, Go GOMEMLIMIT. A heap may grow to its ceiling before the runtime collects
 * hard, so a ceiling near the container limit lets the kernel kill the process first.
 */

export type Runtime = "jvm" | "node" | "go";

/** Room a runtime needs beside its heap: the ceiling is at most this share of the limit. */
export const CEILING_SHARE: Record<Runtime, number> = { jvm: 0.75, node: 0.75, go: 0.9 };

export interface HeapCeiling {
  runtime: Runtime;
  /** the environment variable that sets it, or null when it is set in the command line */
  variable: string | null;
  /** the setting as written, for sentences: `-Xmx1g`, `--max-old-space-size=768`, `GOMEMLIMIT=450MiB` */
  flag: string;
  /** the heap ceiling in bytes under a container limit of `limitBytes` (relative settings scale with it) */
  bytesAt(limitBytes: number): number;
  /** a share of the limit (-XX:MaxRAMPercentage): no limit makes room for it */
  relative: boolean;
  /** the env changes that bring the ceiling to at most `targetBytes`; null when it is set in the command line */
  lowered(targetBytes: number): Record<string, string> | null;
  /** bytesAt as data (a fixed size, or a share of the limit capped by -XX:MaxRAM), for the what-if in the browser */
  size: CeilingSize;
  /** advice as a template, `{mib}` standing for the target in MiB rounded down */
  adviceTemplate: string;
  /** the same setting written for `targetBytes`, for advice: `-Xmx768m` */
  advice(targetBytes: number): string;
}

/** A heap ceiling's size: fixed bytes, or a share of the container limit (at most `capBytes` of it when -XX:MaxRAM caps it). */
export type CeilingSize = { bytes: number } | { shareOfLimit: number; capBytes: number | null };

/** The ceiling in bytes under a container limit of `limitBytes`. */
export const ceilingBytesAt = (size: CeilingSize, limitBytes: number) =>
  "bytes" in size ? size.bytes : size.shareOfLimit * (size.capBytes === null ? limitBytes : Math.min(size.capBytes, limitBytes));

/** A ceiling's advice template written for `targetBytes`: `-Xmx{mib}m` -> `-Xmx768m`. */
export const fillAdvice = (template: string, targetBytes: number) => template.replace("{mib}", String(mibFloor(targetBytes)));

/** The fields of a ceiling derived from its size and advice template. */
const sized = (size: CeilingSize, adviceTemplate: string) => ({
  size, adviceTemplate, bytesAt: (limit: number) => ceilingBytesAt(size, limit), advice: (target: number) => fillAdvice(adviceTemplate, target),
});

const JVM_VARIABLES = ["JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"];
const UNIT: Record<string, number> = { "": 1, k: Ki, m: Mi, g: Gi, t: 1024 * Gi };

/** A JVM size (`2g`, `768m`, `1048576`) in bytes, or null. */
function jvmSize(v: string): number | null {
  const m = /^(\d+)([kKmMgGtT]?)$/.exec(v);
  return m ? Number(m[1]) * UNIT[m[2]!.toLowerCase()]! : null;
}

/** A Go memory limit (`450MiB`, `1GiB`, `1073741824`, `512B`) in bytes, or null (`off`, unparsable). */
export function goMemLimitBytes(v: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|TiB)?\s*$/.exec(v);
  if (!m) return null;
  const unit = { B: 1, KiB: Ki, MiB: Mi, GiB: Gi, TiB: 1024 * Gi }[m[2] ?? "B"]!;
  return Math.floor(Number(m[1]) * unit);
}

/** Where flags live, lowest precedence first: the JVM and Node.js read their env variables, then the command line wins. */
interface Carrier {
  variable: string | null;
  value: string;
}

function carriers(c: ContainerInput, first: string[]): Carrier[] {
  const env = c.env ?? {};
  const named = first.filter((k) => env[k] !== undefined).map((k) => ({ variable: k, value: env[k]! }));
  const others = Object.keys(env)
    .filter((k) => !first.includes(k))
    .sort()
    .map((k) => ({ variable: k, value: env[k]! }));
  const cmd = [...(c.command ?? []), ...(c.args ?? [])].join(" ");
  return [...named, ...others, ...(cmd ? [{ variable: null, value: cmd }] : [])];
}

/** Replaces the whitespace-separated tokens `edit` maps, keeping every other flag and the spacing as written. */
function editTokens(value: string, edit: (token: string) => string | null): string {
  return value
    .split(/(\s+)/)
    .map((part) => (/^\s*$/.test(part) ? part : (edit(part) ?? part)))
    .join("");
}

interface Found {
  carrier: Carrier;
  token: string;
  bytes: number;
}

function lastToken(list: Carrier[], re: RegExp, parse: (m: RegExpExecArray) => number | null): Found | null {
  let out: Found | null = null;
  for (const carrier of list) {
    for (const token of carrier.value.split(/\s+/)) {
      const m = re.exec(token);
      const bytes = m ? parse(m) : null;
      if (bytes !== null) out = { carrier, token, bytes };
    }
  }
  return out;
}

const XMX = /^-(?:Xmx|XX:MaxHeapSize=)(\d+[kKmMgGtT]?)$/;
const XMS = /^-(?:Xms|XX:InitialHeapSize=)(\d+[kKmMgGtT]?)$/;
const MAX_RAM = /^-XX:MaxRAM=(\d+[kKmMgGtT]?)$/;
const RAM_PCT = /^-XX:MaxRAMPercentage=(\d+(?:\.\d+)?)$/;
const mibFloor = (bytes: number) => Math.max(1, Math.floor(bytes / Mi));

function jvmCeiling(c: ContainerInput): HeapCeiling | null {
  const list = carriers(c, JVM_VARIABLES);
  const xmx = lastToken(list, XMX, (m) => jvmSize(m[1]!));
  const maxRam = lastToken(list, MAX_RAM, (m) => jvmSize(m[1]!));
  const pct = lastToken(list, RAM_PCT, (m) => Number(m[1]));
  const runtime = "jvm" as const;
  const variable = (f: Found) => f.carrier.variable;
  // -Xms above a lowered -Xmx stops the JVM from starting: lower it with it, wherever the env sets it
  const lowerXms = (changes: Record<string, string>, target: number) => {
    for (const carrier of list) {
      if (carrier.variable === null) continue;
      const value = changes[carrier.variable] ?? carrier.value;
      const next = editTokens(value, (t) => {
        const m = XMS.exec(t);
        const b = m ? jvmSize(m[1]!) : null;
        return b !== null && b > target ? `-Xms${mibFloor(target)}m` : null;
      });
      if (next !== value) changes[carrier.variable] = next;
    }
    return changes;
  };
  if (xmx) {
    return {
      runtime, variable: variable(xmx), flag: xmx.token, relative: false,
      ...sized({ bytes: xmx.bytes }, "-Xmx{mib}m"),
      lowered: (target) => {
        if (xmx.carrier.variable === null) return null;
        const value = editTokens(xmx.carrier.value, (t) => (XMX.test(t) ? `-Xmx${mibFloor(target)}m` : null));
        return lowerXms({ [xmx.carrier.variable]: value }, target);
      },
    };
  }
  if (maxRam) {
    const share = (pct?.bytes ?? 25) / 100;
    return {
      runtime, variable: variable(maxRam), flag: pct ? `${maxRam.token} ${pct.token}` : maxRam.token, relative: false,
      ...sized({ shareOfLimit: share, capBytes: maxRam.bytes }, "-Xmx{mib}m"),
      lowered: (target) => {
        if (maxRam.carrier.variable === null) return null;
        // an explicit -Xmx overrides the heap the JVM would size from MaxRAM
        const v = maxRam.carrier.variable;
        return lowerXms({ [v]: `${maxRam.carrier.value.trimEnd()} -Xmx${mibFloor(target)}m` }, target);
      },
    };
  }
  if (pct) {
    const share = pct.bytes / 100;
    return {
      runtime, variable: variable(pct), flag: pct.token, relative: true,
      ...sized({ shareOfLimit: share, capBytes: null }, "-XX:MaxRAMPercentage=75"),
      lowered: (target) => {
        if (pct.carrier.variable === null) return null;
        void target; // relative: 75% of any limit leaves the room the rule asks for
        return { [pct.carrier.variable]: editTokens(pct.carrier.value, (t) => (RAM_PCT.test(t) ? "-XX:MaxRAMPercentage=75" : null)) };
      },
    };
  }
  return null;
}

const OLD_SPACE = /^--max[-_]old[-_]space[-_]size(?:=(\d+))?$/;

function nodeCeiling(c: ContainerInput): HeapCeiling | null {
  let found: { carrier: Carrier; token: string; bytes: number } | null = null;
  for (const carrier of carriers(c, ["NODE_OPTIONS"]).filter((x) => x.variable === null || x.variable === "NODE_OPTIONS")) {
    const tokens = carrier.value.split(/\s+/);
    tokens.forEach((t, i) => {
      const m = OLD_SPACE.exec(t);
      if (!m) return;
      const v = m[1] ?? tokens[i + 1];
      if (v && /^\d+$/.test(v)) found = { carrier, token: m[1] ? t : `${t} ${v}`, bytes: Number(v) * Mi };
    });
  }
  const f = found as { carrier: Carrier; token: string; bytes: number } | null;
  if (!f) return null;
  return {
    runtime: "node", variable: f.carrier.variable, flag: f.token, relative: false,
    ...sized({ bytes: f.bytes }, "--max-old-space-size={mib}"),
    lowered: (target) => {
      if (f.carrier.variable === null) return null;
      let skipNext = false;
      const value = editTokens(f.carrier.value, (t) => {
        if (skipNext) {
          skipNext = false;
          return /^\d+$/.test(t) ? String(mibFloor(target)) : null;
        }
        const m = OLD_SPACE.exec(t);
        if (!m) return null;
        if (!m[1]) {
          skipNext = true;
          return null;
        }
        return `--max-old-space-size=${mibFloor(target)}`;
      });
      return { [f.carrier.variable]: value };
    },
  };
}

function goCeiling(c: ContainerInput): HeapCeiling | null {
  const raw = c.env?.GOMEMLIMIT;
  const bytes = raw === undefined ? null : goMemLimitBytes(raw);
  if (raw === undefined || bytes === null) return null;
  return {
    runtime: "go", variable: "GOMEMLIMIT", flag: `GOMEMLIMIT=${raw}`, relative: false,
    ...sized({ bytes }, "GOMEMLIMIT={mib}MiB"),
    lowered: (target) => ({ GOMEMLIMIT: `${mibFloor(target)}MiB` }),
  };
}

/** Every heap ceiling the container's env and command set (at most one per runtime). */
export function heapCeilings(c: ContainerInput): HeapCeiling[] {
  return [jvmCeiling(c), nodeCeiling(c), goCeiling(c)].filter((x): x is HeapCeiling => x !== null);
}

/** The runtime named for a sentence: "the JVM heap", "the Node.js heap", "the Go heap". */
export const runtimeName = (r: Runtime) => ({ jvm: "JVM", node: "Node.js", go: "Go" })[r];
