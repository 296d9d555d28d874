import { formatQuantity, mib } from "./quantity";
import type { ContainerInput, Finding } from "./types";
import type { CeilingPlan, SizingPlan } from "./recommend";
import { CEILING_SHARE, heapCeilings, runtimeName, type HeapCeiling } from "./runtime";
import { shellJoin } from "./shell";

const CODES: Record<HeapCeiling["runtime"], string> = { jvm: "jvm_heap_exceeds_limit", node: "node_heap_exceeds_limit", go: "go_memlimit_exceeds_limit" };
const NEAR_CODES: Record<HeapCeiling["runtime"], string> = { jvm: "jvm_heap_near_limit", node: "node_heap_near_limit", go: "go_memlimit_near_limit" };
// only Go's flag starts with its variable (GOMEMLIMIT=…), and no sentence about Go uses where(): its finding names the
// setting itself, and fixAdvice's last branch never sees Go (GOMEMLIMIT can always be lowered through the env)
// Stryker disable next-line MethodExpression,StringLiteral: see above
const where = (h: HeapCeiling) => (h.variable ? (h.flag.startsWith(`${h.variable}=`) ? "in the env" : `in ${h.variable}`) : "in the command");
const pctOf = (share: number) => `${Math.round(share * 100)}%`;

/** What the fix does about a ceiling, in words, so a finding about today's limit never contradicts it. */
function fixAdvice(h: HeapCeiling, p: CeilingPlan | undefined, plan: SizingPlan | undefined, limit: number): string {
  const share = CEILING_SHARE[h.runtime];
  // with a plan, every ceiling found has its CeilingPlan: p is missing exactly when the plan is
  // Stryker disable next-line LogicalOperator: see above
  if (!plan || !p) return `Set ${h.advice(share * limit)} (${pctOf(share)} of the limit)${h.runtime === "jvm" ? " or use -XX:MaxRAMPercentage=75 without -Xmx" : ""}.`;
  if (p.lowered) return `The fix below sets ${h.advice(p.afterBytes)} with a ${plan.rec.limit} limit, leaving the runtime ${pctOf(1 - p.afterBytes / plan.rec.limitBytes)} of it.`;
  if (p.afterBytes <= share * plan.rec.limitBytes) {
    return `The fix below raises the limit to ${plan.rec.limit}, which leaves ${h.flag} ${pctOf(1 - p.afterBytes / plan.rec.limitBytes)} room${h.variable ? "" : `; to keep a smaller limit, change it in the command to ${h.advice(share * limit)}`}.`;
  }
  return `Change it ${where(h)} to ${h.advice(share * plan.rec.limitBytes)} (${pctOf(share)} of the recommended ${plan.rec.limit}).`;
}

/** Findings about heap ceilings against the current limit and, when there is one, the recommended limit. */
function ceilingFindings(c: ContainerInput, plan: SizingPlan | undefined): Finding[] {
  const out: Finding[] = [];
  const limit = c.limitBytes ?? null;
  for (const h of heapCeilings(c)) {
    const share = CEILING_SHARE[h.runtime];
    const p = plan?.ceilings.find((x) => x.ceiling.runtime === h.runtime);
    const name = h.runtime === "go" ? `Go's soft memory limit ${h.flag}` : `${runtimeName(h.runtime)} max heap ${h.flag} ${where(h)}`;
    if (limit !== null) {
      const bytes = h.bytesAt(limit);
      if (bytes >= limit) {
        out.push({
          code: CODES[h.runtime], severity: "critical",
          message: `${name} (${mib(bytes)}) is at or above the ${formatQuantity(limit)} limit: the heap can grow until the kernel kills the process, before the ${h.runtime === "go" ? "Go runtime" : "garbage collector"} ever has to work hard. ${fixAdvice(h, p, plan, limit)}`,
        });
        continue;
      }
      if (bytes > share * limit) {
        out.push({
          code: NEAR_CODES[h.runtime], severity: "warning",
          message: `${name} (${mib(bytes)}) leaves under ${pctOf(1 - share)} of the ${formatQuantity(limit)} limit for ${h.runtime === "jvm" ? "metaspace, threads and direct buffers" : "everything outside the heap"}. ${fixAdvice(h, p, plan, limit)}`,
        });
        continue;
      }
    }
    // fine under today's limit (or none): the recommended limit must not make it a problem
    // Stryker disable next-line LogicalOperator: p is undefined exactly when plan is (see fixAdvice)
    if (plan && p && p.atRecommendedBytes > share * plan.rec.limitBytes) {
      out.push({
        code: "heap_ceiling_above_recommended_limit", severity: "warning",
        message: `At the recommended ${plan.rec.limit} limit, ${name} (${mib(p.atRecommendedBytes)}) would leave the runtime under ${pctOf(1 - share)} of it${p.atRecommendedBytes >= plan.rec.limitBytes ? " — the heap could grow past the limit" : ""}. ${p.lowered ? `The fix lowers it to ${h.advice(p.afterBytes)}; apply both together.` : fixAdvice(h, p, plan, plan.rec.limitBytes)}`,
      });
    }
  }
  return out;
}

/**
 * Findings about memory-backed emptyDir volumes (medium: Memory) the container mounts: a tmpfs's pages
 * are charged to the container's memory cgroup, so its files count against the limit like the heap does.
 */
function memoryVolumeFindings(c: ContainerInput): Finding[] {
  const limit = c.limitBytes ?? null;
  return (c.memoryVolumes ?? []).map((v): Finding => {
    const files = `Files written to ${v.mountPath} (emptyDir "${v.name}", medium: Memory) are held in memory`;
    const size = v.sizeLimitBytes;
    if (limit === null) {
      return {
        code: "memory_volume", severity: "warning",
        message: `${files} and count as this container's memory; with no memory limit ${size === null ? "nothing bounds them but the node" : `only the volume's ${formatQuantity(size)} sizeLimit bounds them`}.`,
      };
    }
    if (size === null || size >= limit) {
      return {
        code: "memory_volume_unbounded", severity: "warning",
        message: `${files} and count against the ${formatQuantity(limit)} limit; ${size === null ? "the volume has no sizeLimit" : `its sizeLimit (${formatQuantity(size)}) is at or above the limit`}, so filling it can OOMKill the container on its own. Give it a sizeLimit and count that in the limit, or use a disk-backed emptyDir.`,
      };
    }
    return {
      code: "memory_volume", severity: "info",
      message: `${files} and count against the ${formatQuantity(limit)} limit: up to its ${formatQuantity(size)} sizeLimit (${pctOf(size / limit)} of the limit) is memory the application itself cannot use.`,
    };
  });
}

/** What the pod spec alone shows (runtime heap settings against the current and recommended limits, memory-backed volumes, missing or lopsided resources). */
export function specFindings(c: ContainerInput, plan?: SizingPlan): Finding[] {
  const out: Finding[] = [...ceilingFindings(c, plan), ...memoryVolumeFindings(c)];
  const limit = c.limitBytes ?? null;
  const request = c.requestBytes ?? null;
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
  if (
    // Stryker disable next-line ConditionalExpression,LogicalOperator: null > 2 * request and null > 0 are false: the null tests only narrow the types
    limit !== null && request !== null &&
    request > 0 &&
    limit > 2 * request
  ) {
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
  // a missing command or image read as any placeholder text that names no language is the same as an empty one
  // Stryker disable next-line ArrayDeclaration: see above
  const cmd = [...(c.command ?? []), ...(c.args ?? [])].join(" ").toLowerCase();
  // Stryker disable next-line StringLiteral: see above
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
  const ns = c.namespace ? ["-n", c.namespace] : [];
  const target = pod ?? "<pod>";
  const lang = detectLanguage(c);
  // every name goes through shellJoin; only the operators between commands are written as shell syntax
  const exec = (...cmd: string[]) => shellJoin(["kubectl", "exec", ...ns, target, "-c", c.name, "--", ...cmd]);
  const owner = c.workload?.kind && c.workload.name ? `${c.workload.kind.toLowerCase()}/${c.workload.name}` : `pod/${target}`;
  const advice: Record<Language, { how: string; command: string }> = {
    go: {
      how: "Take two heap profiles with pprof an hour apart and compare them (import net/http/pprof if the service does not expose /debug/pprof).",
      command: `${shellJoin(["kubectl", "port-forward", ...ns, target, "6060:6060"])} & go tool pprof -top -sample_index=inuse_space http://localhost:6060/debug/pprof/heap`,
    },
    java: {
      how: "Dump the heap with jmap and open it in Eclipse MAT or VisualVM: look for the dominator tree and collections that only grow.",
      command: `${exec("jmap", "-dump:live,format=b,file=/tmp/heap.hprof", "1")} && ${shellJoin(["kubectl", "cp", ...ns, `${target}:/tmp/heap.hprof`, "./heap.hprof", "-c", c.name])}`,
    },
    python: {
      how: "Start the process with tracemalloc and compare two snapshots: the lines whose allocations keep growing are the leak.",
      command: `${shellJoin(["kubectl", "set", "env", ...ns, owner, "-c", c.name, "PYTHONTRACEMALLOC=25"])}  # then: tracemalloc.take_snapshot().compare_to(previous, "lineno")`,
    },
    node: {
      how: "Take two heap snapshots some time apart (node --heapsnapshot-signal=SIGUSR2) and compare them in Chrome DevTools' Memory tab.",
      command: `${exec("kill", "-USR2", "1")} && ${shellJoin(["kubectl", "cp", ...ns, `${target}:/app`, "-c", c.name, "./snapshots"])}  # needs node --heapsnapshot-signal=SIGUSR2`,
    },
    unknown: {
      how: "Profile the application's heap with its language's profiler (Go pprof, Java jmap, Python tracemalloc, Node.js heap snapshots) and compare two profiles taken apart.",
      command: exec("sh", "-c", 'grep -E "VmRSS|VmHWM" /proc/1/status'),
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
