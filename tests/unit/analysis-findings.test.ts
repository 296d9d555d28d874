// The findings' rules pinned at their boundaries, with the words a platform engineer reads: missing or
// lopsided requests and limits, heap ceilings against today's and the recommended limit (and what the
// fix does about them), the language guessed for a leak, and the profiling command for it.
import { describe, expect, it } from "vitest";
import type { ContainerInput } from "@/lib/analysis";
import { detectLanguage, profilingFinding, specFindings } from "@/lib/analysis/findings";
import { Gi, Mi } from "@/lib/analysis/quantity";
import { planSizing } from "@/lib/analysis/recommend";

const flat = (v: number) => ({ mean: v, p50: v, p95: v, p99: v, max: v });
const app = (extra: Partial<ContainerInput> = {}): ContainerInput => ({ name: "app", requestBytes: 512 * Mi, limitBytes: Gi, ...extra });
const withPlan = (c: ContainerInput, usage: number) => specFindings(c, planSizing(c, flat(usage), { oomKilled: false, leak: false }));
const GC = "the heap can grow until the kernel kills the process, before the garbage collector ever has to work hard.";

describe("requests and limits", () => {
  it("no limit and no request: two warnings, the request one says what the scheduler does", () => {
    expect(specFindings({ name: "c" })).toEqual([
      { code: "no_memory_limit", severity: "warning", message: "No memory limit: one leak or spike can take the whole node's memory and get other pods evicted. Set a limit." },
      { code: "no_memory_request", severity: "warning", message: "No memory request: the scheduler places this pod as if it used no memory, and it is the first evicted under node pressure." },
    ]);
  });

  it("a limit without a request: the request defaults to the limit", () => {
    expect(specFindings({ name: "c", limitBytes: Gi })).toEqual([
      { code: "no_memory_request", severity: "warning", message: "No memory request: Kubernetes defaults it to the limit, so the pod reserves (and costs) its whole limit. Set the request to steady-state usage." },
    ]);
    expect(specFindings({ name: "c", requestBytes: Gi }).map((f) => f.code)).toEqual(["no_memory_limit"]);
  });

  it("a limit more than twice the request, not at exactly twice; a zero request is not compared", () => {
    expect(specFindings({ name: "c", requestBytes: 512 * Mi, limitBytes: Gi })).toEqual([]);
    expect(specFindings({ name: "c", requestBytes: 384 * Mi, limitBytes: Gi })).toEqual([
      {
        code: "limit_above_2x_request", severity: "warning",
        message: "The limit (1Gi) is 2.7x the request (384Mi): the node is overcommitted and the pod can be OOMKilled or evicted under pressure long before its limit. Keep the limit within 2x the request.",
      },
    ]);
    expect(specFindings({ name: "c", requestBytes: 512 * Mi - 1, limitBytes: Gi }).map((f) => f.code)).toEqual(["limit_above_2x_request"]);
    expect(specFindings({ name: "c", requestBytes: 0, limitBytes: Gi })).toEqual([]);
  });
});

describe("heap ceilings against today's limit (no recommendation yet)", () => {
  it("a JVM -Xmx at the limit is critical; advice at 75% or MaxRAMPercentage", () => {
    expect(specFindings(app({ env: { JAVA_OPTS: "-Xmx1g" } }))).toEqual([
      {
        code: "jvm_heap_exceeds_limit", severity: "critical",
        message: `JVM max heap -Xmx1g in JAVA_OPTS (1Gi) is at or above the 1Gi limit: ${GC} Set -Xmx768m (75% of the limit) or use -XX:MaxRAMPercentage=75 without -Xmx.`,
      },
    ]);
  });

  it("a JVM -Xmx above 75% of the limit leaves too little room; at exactly 75% it is fine", () => {
    expect(specFindings(app({ env: { JAVA_OPTS: "-Xmx769m" } }))).toEqual([
      {
        code: "jvm_heap_near_limit", severity: "warning",
        message: "JVM max heap -Xmx769m in JAVA_OPTS (769Mi) leaves under 25% of the 1Gi limit for metaspace, threads and direct buffers. Set -Xmx768m (75% of the limit) or use -XX:MaxRAMPercentage=75 without -Xmx.",
      },
    ]);
    expect(specFindings(app({ env: { JAVA_OPTS: "-Xmx768m" } }))).toEqual([]);
  });

  it("Node.js in the command: critical at the limit, near above 75%", () => {
    expect(specFindings(app({ command: ["node", "--max-old-space-size=1024", "server.js"] }))).toEqual([
      {
        code: "node_heap_exceeds_limit", severity: "critical",
        message: `Node.js max heap --max-old-space-size=1024 in the command (1Gi) is at or above the 1Gi limit: ${GC} Set --max-old-space-size=768 (75% of the limit).`,
      },
    ]);
    expect(specFindings(app({ command: ["node", "--max-old-space-size=800", "server.js"] }))).toEqual([
      {
        code: "node_heap_near_limit", severity: "warning",
        message: "Node.js max heap --max-old-space-size=800 in the command (800Mi) leaves under 25% of the 1Gi limit for everything outside the heap. Set --max-old-space-size=768 (75% of the limit).",
      },
    ]);
  });

  it("Go's GOMEMLIMIT: critical at the limit, near above 90%, fine at exactly 90%", () => {
    expect(specFindings(app({ env: { GOMEMLIMIT: "1GiB" } }))).toEqual([
      {
        code: "go_memlimit_exceeds_limit", severity: "critical",
        message: "Go's soft memory limit GOMEMLIMIT=1GiB (1Gi) is at or above the 1Gi limit: the heap can grow until the kernel kills the process, before the Go runtime ever has to work hard. Set GOMEMLIMIT=921MiB (90% of the limit).",
      },
    ]);
    const c = (v: string) => app({ limitBytes: 1000 * Mi, requestBytes: 1000 * Mi, env: { GOMEMLIMIT: v } });
    expect(specFindings(c("900MiB"))).toEqual([]);
    expect(specFindings(c("901MiB"))).toEqual([
      {
        code: "go_memlimit_near_limit", severity: "warning",
        message: "Go's soft memory limit GOMEMLIMIT=901MiB (901Mi) leaves under 10% of the 1000Mi limit for everything outside the heap. Set GOMEMLIMIT=900MiB (90% of the limit).",
      },
    ]);
  });

  it("without a limit a ceiling has nothing to be compared with", () => {
    expect(specFindings({ name: "c", requestBytes: Gi, env: { JAVA_OPTS: "-Xmx8g" } }).map((f) => f.code)).toEqual(["no_memory_limit"]);
  });
});

describe("heap ceilings with the recommendation: the finding says what the fix does", () => {
  it("an env ceiling the fix lowers", () => {
    // p95 800Mi x 1.2 = 960Mi -> 1Gi; -Xmx1g comes down to 75% of it
    expect(withPlan(app({ env: { JAVA_OPTS: "-Xmx1g" } }), 800 * Mi)[0]!.message).toBe(
      `JVM max heap -Xmx1g in JAVA_OPTS (1Gi) is at or above the 1Gi limit: ${GC} The fix below sets -Xmx768m with a 1Gi limit, leaving the runtime 25% of it.`,
    );
  });

  it("an env ceiling the higher limit makes room for: nothing else to change", () => {
    // 1500Mi x 1.2 = 1800Mi -> 2Gi: -Xmx1g is 50% of it
    expect(withPlan(app({ env: { JAVA_OPTS: "-Xmx1g" } }), 1500 * Mi)[0]!.message).toBe(
      `JVM max heap -Xmx1g in JAVA_OPTS (1Gi) is at or above the 1Gi limit: ${GC} The fix below raises the limit to 2Gi, which leaves -Xmx1g 50% room.`,
    );
  });

  it("a command-line ceiling gets a limit it fits in, and the advice for keeping a smaller one", () => {
    // -Xmx1g / 0.75 = 1365Mi -> 1536Mi, which leaves 33%
    expect(withPlan(app({ command: ["java", "-Xmx1g", "-jar", "app.jar"] }), 800 * Mi)[0]!.message).toBe(
      `JVM max heap -Xmx1g in the command (1Gi) is at or above the 1Gi limit: ${GC} The fix below raises the limit to 1536Mi, which leaves -Xmx1g 33% room; to keep a smaller limit, change it in the command to -Xmx768m.`,
    );
  });

  it("each runtime's finding speaks of its own ceiling's fix", () => {
    // p95 800Mi -> 1Gi: -Xmx1g comes down to 768m (75%), GOMEMLIMIT=1GiB to 921MiB (90%)
    const [jvm, go] = withPlan(app({ env: { JAVA_OPTS: "-Xmx1g", GOMEMLIMIT: "1GiB" } }), 800 * Mi);
    expect(jvm!.message).toMatch(/ The fix below sets -Xmx768m with a 1Gi limit, leaving the runtime 25% of it\.$/);
    expect(go!.message).toMatch(/^Go's soft memory limit GOMEMLIMIT=1GiB \(1Gi\) .* The fix below sets GOMEMLIMIT=921MiB with a 1Gi limit, leaving the runtime 10% of it\.$/);
  });

  it("a command-line ceiling at exactly 75% of the raised limit fits", () => {
    // 600Mi x 1.2 = 720Mi -> 768Mi; -Xmx768m in the command needs 768 / 0.75 = 1024Mi: exactly 75%
    expect(withPlan(app({ limitBytes: 768 * Mi, command: ["java", "-Xmx768m", "-jar", "app.jar"] }), 600 * Mi)[0]!.message).toMatch(
      / The fix below raises the limit to 1Gi, which leaves -Xmx768m 25% room; to keep a smaller limit, change it in the command to -Xmx576m\.$/,
    );
  });

  it("a MaxRAM-sized heap in the command keeps growing with the limit: change it, to 75% of the recommended limit", () => {
    // 90% of min(8g, 1Gi) = 922Mi needs 922 / 0.75 = 1229Mi -> 1280Mi, where it is 1152Mi: still above 960Mi (75%)
    expect(withPlan(app({ command: ["java", "-XX:MaxRAM=8g", "-XX:MaxRAMPercentage=90", "-jar", "app.jar"] }), 800 * Mi)).toEqual([
      {
        code: "jvm_heap_near_limit", severity: "warning",
        message: "JVM max heap -XX:MaxRAM=8g -XX:MaxRAMPercentage=90 in the command (922Mi) leaves under 25% of the 1Gi limit for metaspace, threads and direct buffers. Change it in the command to -Xmx960m (75% of the recommended 1280Mi).",
      },
    ]);
  });

  it("a relative ceiling in the command cannot be lowered nor made room for: change it", () => {
    expect(withPlan(app({ command: ["java", "-XX:MaxRAMPercentage=90", "-jar", "app.jar"] }), 800 * Mi)).toEqual([
      {
        code: "jvm_heap_near_limit", severity: "warning",
        message: "JVM max heap -XX:MaxRAMPercentage=90 in the command (922Mi) leaves under 25% of the 1Gi limit for metaspace, threads and direct buffers. Change it in the command to -XX:MaxRAMPercentage=75 (75% of the recommended 1Gi).",
      },
    ]);
  });

  it("a ceiling fine today but too big for the smaller recommended limit", () => {
    // 500Mi x 1.2 = 600Mi -> 768Mi: -Xmx700m is 91% of it (fine at 68% of today's 1Gi)
    expect(withPlan(app({ env: { JAVA_OPTS: "-Xmx700m" } }), 500 * Mi)).toEqual([
      {
        code: "heap_ceiling_above_recommended_limit", severity: "warning",
        message: "At the recommended 768Mi limit, JVM max heap -Xmx700m in JAVA_OPTS (700Mi) would leave the runtime under 25% of it. The fix lowers it to -Xmx576m; apply both together.",
      },
    ]);
    // at exactly 75% of the recommended limit it is fine
    expect(withPlan(app({ env: { JAVA_OPTS: "-Xmx576m" } }), 500 * Mi)).toEqual([]);
    // at or above the recommended limit, the heap could grow past it
    expect(withPlan(app({ limitBytes: 2 * Gi, requestBytes: Gi, env: { JAVA_OPTS: "-Xmx768m" } }), 500 * Mi)[0]!.message).toBe(
      "At the recommended 768Mi limit, JVM max heap -Xmx768m in JAVA_OPTS (768Mi) would leave the runtime under 25% of it — the heap could grow past the limit. The fix lowers it to -Xmx576m; apply both together.",
    );
  });

  it("without a limit today, a relative ceiling in the command is judged at the recommended limit", () => {
    expect(withPlan({ name: "app", requestBytes: 512 * Mi, command: ["java", "-XX:MaxRAMPercentage=90", "-jar", "app.jar"] }, 800 * Mi)).toEqual([
      {
        code: "heap_ceiling_above_recommended_limit", severity: "warning",
        message: "At the recommended 1Gi limit, JVM max heap -XX:MaxRAMPercentage=90 in the command (922Mi) would leave the runtime under 25% of it. Change it in the command to -XX:MaxRAMPercentage=75 (75% of the recommended 1Gi).",
      },
      expect.objectContaining({ code: "no_memory_limit" }),
    ]);
  });
});

describe("the language of a leaking container", () => {
  it.each([
    [{ command: ["java", "-jar", "x"] }, "java"],
    [{ args: ["-jar", "app.jar"] }, "java"],
    [{ command: ["JAVA"] }, "java"],
    [{ env: { JAVA_OPTS: "" } }, "java"],
    [{ env: { JAVA_TOOL_OPTIONS: "" } }, "java"],
    [{ env: { JDK_JAVA_OPTIONS: "" } }, "java"],
    [{ image: "openjdk:21" }, "java"],
    [{ image: "eclipse-temurin:21" }, "java"],
    [{ image: "amazoncorretto:21" }, "java"],
    [{ image: "azul/zulu-openjdk:21" }, "java"],
    [{ image: "bitnami/kafka:3" }, "java"],
    [{ image: "Elasticsearch:8" }, "java"],
    [{ image: "acme/jre-base:1" }, "java"],
    [{ command: ["javascript"] }, "unknown"],
    [{ command: ["node", "server.js"] }, "node"],
    [{ command: ["npm", "start"] }, "node"],
    [{ args: ["dist/main.mjs"] }, "node"],
    [{ args: ["dist/main.js"] }, "node"],
    [{ env: { NODE_OPTIONS: "" } }, "node"],
    [{ image: "node:20" }, "node"],
    [{ image: "docker.io/library/node:20" }, "node"],
    [{ image: "acme/mynode:20" }, "unknown"],
    [{ command: ["nodejs-exporter"] }, "unknown"],
    [{ command: ["python3.12", "-m", "app"] }, "python"],
    [{ command: ["python"] }, "python"],
    [{ command: ["gunicorn", "app:wsgi"] }, "python"],
    [{ command: ["uvicorn", "app:api"] }, "python"],
    [{ args: ["main.py"] }, "python"],
    [{ env: { PYTHONUNBUFFERED: "1" } }, "python"],
    [{ image: "python:3.12-slim" }, "python"],
    [{ env: { GOMEMLIMIT: "1GiB" } }, "go"],
    [{ env: { GOGC: "100" } }, "go"],
    [{ env: { GODEBUG: "x=1" } }, "go"],
    // variable names are matched one by one, not run together
    [{ env: { JAVA_: "", OPTS: "" } }, "unknown"],
    [{ image: "golang:1.22" }, "go"],
    [{ image: "gcr.io/distroless/static:nonroot" }, "go"],
    [{ image: "gcr.io/distroless/base" }, "unknown"],
    [{}, "unknown"],
  ] as [Partial<ContainerInput>, string][])("%j is %s", (c, lang) => {
    expect(detectLanguage({ name: "c", ...c })).toBe(lang);
  });

  it("java wins over node, node over python, python over go", () => {
    expect(detectLanguage({ name: "c", command: ["node", "x.js"], image: "openjdk:21" })).toBe("java");
    expect(detectLanguage({ name: "c", command: ["python", "x.py"], env: { NODE_OPTIONS: "" } })).toBe("node");
    expect(detectLanguage({ name: "c", image: "python:3", env: { GOGC: "50" } })).toBe("python");
  });
});

describe("the profiling command for a leak", () => {
  const c = (extra: Partial<ContainerInput>): ContainerInput => ({ name: "app", namespace: "shop", workload: { kind: "Deployment", name: "api" }, ...extra });
  const LEAK = "This is a leak: a higher limit only buys time. ";

  it("Go: two pprof heap profiles through a port-forward", () => {
    expect(profilingFinding(c({ env: { GOMEMLIMIT: "1GiB" } }), "api-1")).toEqual({
      code: "profile_leak", severity: "warning",
      message: `${LEAK}Take two heap profiles with pprof an hour apart and compare them (import net/http/pprof if the service does not expose /debug/pprof).`,
      command: "kubectl port-forward -n shop api-1 6060:6060 & go tool pprof -top -sample_index=inuse_space http://localhost:6060/debug/pprof/heap",
    });
  });

  it("Java: a jmap dump copied out", () => {
    expect(profilingFinding(c({ image: "openjdk:21" }), "api-1")).toEqual({
      code: "profile_leak", severity: "warning",
      message: `${LEAK}Dump the heap with jmap and open it in Eclipse MAT or VisualVM: look for the dominator tree and collections that only grow.`,
      command: "kubectl exec -n shop api-1 -c app -- jmap -dump:live,format=b,file=/tmp/heap.hprof 1 && kubectl cp -n shop api-1:/tmp/heap.hprof ./heap.hprof -c app",
    });
  });

  it("Python: tracemalloc switched on for the workload, or the pod when there is no workload", () => {
    const f = profilingFinding(c({ image: "python:3" }), "api-1");
    expect(f.message).toBe(`${LEAK}Start the process with tracemalloc and compare two snapshots: the lines whose allocations keep growing are the leak.`);
    expect(f.command).toBe('kubectl set env -n shop deployment/api -c app PYTHONTRACEMALLOC=25  # then: tracemalloc.take_snapshot().compare_to(previous, "lineno")');
    expect(profilingFinding(c({ image: "python:3", workload: null }), "api-1").command).toMatch(/^kubectl set env -n shop pod\/api-1 -c app PYTHONTRACEMALLOC=25 {2}# then/);
    expect(profilingFinding(c({ image: "python:3", workload: { kind: "Deployment" } }), "api-1").command).toMatch(/^kubectl set env -n shop pod\/api-1 /);
    expect(profilingFinding(c({ image: "python:3", workload: { name: "api" } }), "api-1").command).toMatch(/^kubectl set env -n shop pod\/api-1 /);
  });

  it("Node.js: a heap snapshot on SIGUSR2, copied out", () => {
    expect(profilingFinding(c({ image: "node:20" }), "api-1")).toEqual({
      code: "profile_leak", severity: "warning",
      message: `${LEAK}Take two heap snapshots some time apart (node --heapsnapshot-signal=SIGUSR2) and compare them in Chrome DevTools' Memory tab.`,
      command: "kubectl exec -n shop api-1 -c app -- kill -USR2 1 && kubectl cp -n shop api-1:/app -c app ./snapshots  # needs node --heapsnapshot-signal=SIGUSR2",
    });
  });

  it("unknown language: the process's memory figures, and generic advice", () => {
    expect(profilingFinding(c({}), "api-1")).toEqual({
      code: "profile_leak", severity: "warning",
      message: `${LEAK}Profile the application's heap with its language's profiler (Go pprof, Java jmap, Python tracemalloc, Node.js heap snapshots) and compare two profiles taken apart.`,
      command: "kubectl exec -n shop api-1 -c app -- sh -c 'grep -E \"VmRSS|VmHWM\" /proc/1/status'",
    });
  });

  it("without a namespace or a pod name", () => {
    expect(profilingFinding({ name: "app" }, null).command).toBe("kubectl exec '<pod>' -c app -- sh -c 'grep -E \"VmRSS|VmHWM\" /proc/1/status'");
    expect(profilingFinding({ name: "app", namespace: "", image: "golang:1" }, null).command).toMatch(/^kubectl port-forward '<pod>' 6060:6060 & /);
  });
});

describe("memory-backed emptyDir volumes the container mounts", () => {
  const cache = (sizeLimitBytes: number | null) => [{ name: "cache", mountPath: "/cache", sizeLimitBytes }];
  const volumeFindings = (c: ContainerInput) => specFindings(c).filter((f) => f.code.startsWith("memory_volume"));

  it("a volume without a sizeLimit can fill the limit on its own", () => {
    expect(volumeFindings({ name: "c", requestBytes: 256 * Mi, limitBytes: 512 * Mi, memoryVolumes: cache(null) })).toEqual([{
      code: "memory_volume_unbounded", severity: "warning",
      message: 'Files written to /cache (emptyDir "cache", medium: Memory) are held in memory and count against the 512Mi limit; the volume has no sizeLimit, so filling it can OOMKill the container on its own. Give it a sizeLimit and count that in the limit, or use a disk-backed emptyDir.',
    }]);
  });

  it("a sizeLimit at the limit is no bound; one byte under it is, and says how much of the limit it takes", () => {
    expect(volumeFindings({ name: "c", limitBytes: 512 * Mi, memoryVolumes: cache(512 * Mi) })[0]).toMatchObject({
      code: "memory_volume_unbounded", severity: "warning", message: expect.stringContaining("its sizeLimit (512Mi) is at or above the limit"),
    });
    expect(volumeFindings({ name: "c", limitBytes: 512 * Mi, memoryVolumes: cache(512 * Mi - 1) })[0]).toMatchObject({ code: "memory_volume", severity: "info" });
    expect(volumeFindings({ name: "c", limitBytes: 512 * Mi, memoryVolumes: cache(128 * Mi) })).toEqual([{
      code: "memory_volume", severity: "info",
      message: 'Files written to /cache (emptyDir "cache", medium: Memory) are held in memory and count against the 512Mi limit: up to its 128Mi sizeLimit (25% of the limit) is memory the application itself cannot use.',
    }]);
  });

  it("with no memory limit, says what bounds the volume, if anything", () => {
    expect(volumeFindings({ name: "c", memoryVolumes: cache(null) })[0]!.message).toMatch(/with no memory limit nothing bounds them but the node\.$/);
    expect(volumeFindings({ name: "c", memoryVolumes: cache(64 * Mi) })[0]!.message).toMatch(/with no memory limit only the volume's 64Mi sizeLimit bounds them\.$/);
  });

  it("one finding per volume, beside the heap findings; none without memory-backed volumes", () => {
    const c: ContainerInput = { name: "c", requestBytes: 512 * Mi, limitBytes: 512 * Mi, args: ["--max-old-space-size=512"], memoryVolumes: [...cache(null), { name: "shm", mountPath: "/dev/shm", sizeLimitBytes: 64 * Mi }] };
    expect(specFindings(c).map((f) => f.code)).toEqual(["node_heap_exceeds_limit", "memory_volume_unbounded", "memory_volume"]);
    expect(volumeFindings({ name: "c", limitBytes: Gi, memoryVolumes: [] })).toEqual([]);
    expect(volumeFindings({ name: "c", limitBytes: Gi })).toEqual([]);
  });
});
