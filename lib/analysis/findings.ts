import { formatQuantity, Gi, Ki, Mi, mib } from "./quantity";
import type { ContainerInput, Finding } from "./types";

const UNIT: Record<string, number> = { "": 1, k: Ki, m: Mi, g: Gi, t: 1024 * Gi };

/** Every word of the container's command line and environment, where runtime flags hide. */
function words(c: ContainerInput): string[] {
  return [...(c.command ?? []), ...(c.args ?? []), ...Object.values(c.env ?? {})].flatMap((s) => s.split(/\s+/)).filter(Boolean);
}

/** JVM -Xmx in bytes, if set. */
export function jvmMaxHeapBytes(c: ContainerInput): number | null {
  let out: number | null = null;
  for (const w of words(c)) {
    const m = /^-Xmx(\d+)([kKmMgGtT]?)$/.exec(w);
    if (m) out = Number(m[1]) * UNIT[m[2]!.toLowerCase()]!;
  }
  return out;
}

/** Node.js --max-old-space-size in bytes (the flag is in MiB), if set. */
export function nodeOldSpaceBytes(c: ContainerInput): number | null {
  let out: number | null = null;
  const all = words(c);
  all.forEach((w, i) => {
    const m = /^--max-old-space-size(?:=(\d+))?$/.exec(w);
    if (m) {
      const v = m[1] ?? all[i + 1];
      if (v && /^\d+$/.test(v)) out = Number(v) * Mi;
    }
  });
  return out;
}

function maxRamPercentage(c: ContainerInput): number | null {
  let out: number | null = null;
  for (const w of words(c)) {
    const m = /^-XX:MaxRAMPercentage=(\d+(?:\.\d+)?)$/.exec(w);
    if (m) out = Number(m[1]);
  }
  return out;
}

/** What the pod spec alone shows (runtime heap flags against the limit, missing or lopsided resources). */
export function specFindings(c: ContainerInput): Finding[] {
  const out: Finding[] = [];
  const limit = c.limitBytes ?? null;
  const request = c.requestBytes ?? null;
  const xmx = jvmMaxHeapBytes(c);
  if (xmx !== null && limit !== null) {
    const advised = `-Xmx${Math.floor((limit * 0.75) / Mi)}m`;
    if (xmx >= limit) {
      out.push({
        code: "jvm_heap_exceeds_limit", severity: "critical",
        message: `JVM max heap -Xmx ${formatQuantity(xmx)} is at or above the ${formatQuantity(limit)} limit: the heap can grow until the kernel kills the JVM, before the garbage collector ever has to run hard. Set ${advised} (75% of the limit) or use -XX:MaxRAMPercentage=75 without -Xmx.`,
      });
    } else if (xmx > 0.85 * limit) {
      out.push({
        code: "jvm_heap_near_limit", severity: "warning",
        message: `JVM max heap -Xmx ${formatQuantity(xmx)} leaves under 15% of the ${formatQuantity(limit)} limit for metaspace, threads and direct buffers. ${advised} (75%) is safer.`,
      });
    }
  }
  const pct = maxRamPercentage(c);
  if (pct !== null && pct > 85) {
    out.push({ code: "jvm_ram_percentage_high", severity: "warning", message: `-XX:MaxRAMPercentage=${pct} gives the heap almost all of the container's memory; non-heap memory then pushes it over the limit. Use 75.` });
  }
  const oldSpace = nodeOldSpaceBytes(c);
  if (oldSpace !== null && limit !== null && oldSpace >= 0.9 * limit) {
    out.push({
      code: "node_heap_exceeds_limit", severity: oldSpace >= limit ? "critical" : "warning",
      message: `Node.js --max-old-space-size=${Math.round(oldSpace / Mi)} (${mib(oldSpace)}) is ${oldSpace >= limit ? "at or above" : "close to"} the ${formatQuantity(limit)} limit: V8 will not collect hard before the kernel kills it. Use about 75% of the limit (--max-old-space-size=${Math.floor((limit * 0.75) / Mi)}).`,
    });
  }
  if (limit === null) {
    out.push({ code: "no_memory_limit", severity: "warning", message: "No memory limit: one leak or spike can take the whole node's memory and get other pods evicted. Set a limit." });
  }
  if (request === null) {
    out.push({
      code: "no_memory_request", severity: "warning",
      message: limit === null
        ? "No memory request: the scheduler places this pod as if it used no memory, and it is the first evicted under node pressure."
        : "No memory request: Kubernetes defaults it to the limit, so the pod reserves (and costs) its whole limit. Set the request to steady-state usage.",
    });
  }
  if (limit !== null && request !== null && request > 0 && limit > 2 * request) {
    out.push({
      code: "limit_above_2x_request", severity: "warning",
      message: `The limit (${formatQuantity(limit)}) is ${(limit / request).toFixed(1)}x the request (${formatQuantity(request)}): the node is overcommitted and the pod can be OOMKilled or evicted under pressure long before its limit. Keep the limit within 2x the request.`,
    });
  }
  return out;
}

export type Language = "go" | "java" | "python" | "node" | "unknown";

/** The application's language, guessed from its image, command and environment. */
export function detectLanguage(c: ContainerInput): Language {
  const cmd = [...(c.command ?? []), ...(c.args ?? [])].join(" ").toLowerCase();
  const image = (c.image ?? "").toLowerCase();
  const env = Object.keys(c.env ?? {}).join(" ");
  if (/\bjava\b|\.jar\b/.test(cmd) || /JAVA_OPTS|JAVA_TOOL_OPTIONS|JDK_JAVA_OPTIONS/.test(env) || /openjdk|temurin|corretto|jdk|jre|zulu|kafka|elasticsearch/.test(image)) return "java";
  if (/\bnode\b|\bnpm\b|\.m?js\b/.test(cmd) || /NODE_OPTIONS/.test(env) || /(^|\/)node:/.test(image)) return "node";
  if (/\bpython[\d.]*\b|\bgunicorn\b|\buvicorn\b|\.py\b/.test(cmd) || /PYTHON/.test(env) || /python/.test(image)) return "python";
  if (/GOMEMLIMIT|GOGC|GODEBUG/.test(env) || /golang|distroless\/static/.test(image)) return "go";
  return "unknown";
}

/** Profiling advice for a leak, with the command for the language the container suggests. */
export function profilingFinding(c: ContainerInput, pod: string | null): Finding {
  const ns = c.namespace ? ` -n ${c.namespace}` : "";
  const target = pod ?? "<pod>";
  const lang = detectLanguage(c);
  const exec = `kubectl exec${ns} ${target} -c ${c.name} --`;
  const advice: Record<Language, { how: string; command: string }> = {
    go: {
      how: "Take two heap profiles with pprof an hour apart and compare them (import net/http/pprof if the service does not expose /debug/pprof).",
      command: `kubectl port-forward${ns} ${target} 6060:6060 & go tool pprof -top -sample_index=inuse_space http://localhost:6060/debug/pprof/heap`,
    },
    java: {
      how: "Dump the heap with jmap and open it in Eclipse MAT or VisualVM: look for the dominator tree and collections that only grow.",
      command: `${exec} jmap -dump:live,format=b,file=/tmp/heap.hprof 1 && kubectl cp${ns} ${target}:/tmp/heap.hprof ./heap.hprof -c ${c.name}`,
    },
    python: {
      how: "Start the process with tracemalloc and compare two snapshots: the lines whose allocations keep growing are the leak.",
      command: `kubectl set env${ns} ${c.workload?.kind && c.workload.name ? `${c.workload.kind.toLowerCase()}/${c.workload.name}` : `pod/${target}`} -c ${c.name} PYTHONTRACEMALLOC=25  # then: tracemalloc.take_snapshot().compare_to(previous, "lineno")`,
    },
    node: {
      how: "Take two heap snapshots some time apart (node --heapsnapshot-signal=SIGUSR2) and compare them in Chrome DevTools' Memory tab.",
      command: `${exec} kill -USR2 1 && kubectl cp${ns} ${target}:/app -c ${c.name} ./snapshots  # needs node --heapsnapshot-signal=SIGUSR2`,
    },
    unknown: {
      how: "Profile the application's heap with its language's profiler (Go pprof, Java jmap, Python tracemalloc, Node.js heap snapshots) and compare two profiles taken apart.",
      command: `${exec} sh -c 'cat /proc/1/status | grep -E "VmRSS|VmHWM"'`,
    },
  };
  const a = advice[lang];
  return {
    code: "profile_leak",
    severity: "warning",
    message: `This is a leak: a higher limit only buys time. ${a.how}`,
    command: a.command,
  };
}
