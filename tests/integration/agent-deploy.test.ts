import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";

// The agent's install: the Kustomize base rendered by the machine's kubectl, the plain manifest kept
// equal to it, every object valid against the Kubernetes schemas, read-only RBAC, a locked-down pod;
// and the one-file bundle the image runs.

const BASE = "agents/collector/deploy/base";
const PLAIN = "agents/collector/deploy/plain/headroom-collector.yaml";
const MODELS: Record<string, new (o: never) => { validate(): void }> = { Namespace, ServiceAccount, ClusterRole, ClusterRoleBinding, Deployment } as never;

const render = () => execFileSync("kubectl", ["kustomize", BASE], { encoding: "utf8" });

describe("the agent's manifests", () => {
  it("kubectl kustomize renders the base, and the plain manifest is that rendering", () => {
    const plain = fs.readFileSync(PLAIN, "utf8").split("\n").filter((l) => !l.startsWith("#")).join("\n");
    expect(plain).toBe(render());
  });

  it("every object is valid against the Kubernetes schemas", () => {
    const docs = parseAllDocuments(render()).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    expect(docs.map((d) => d.kind).sort()).toEqual(["ClusterRole", "ClusterRoleBinding", "Deployment", "Namespace", "ServiceAccount"]);
    for (const d of docs) {
      const Model = MODELS[d.kind]!;
      expect(() => new Model(d as never).validate(), `${d.kind}/${d.metadata.name}`).not.toThrow();
    }
    // and a broken object is caught: the validation is real
    const bad = { ...docs.find((d) => d.kind === "Deployment")!, spec: { replicas: "one" } };
    expect(() => new Deployment(bad as never).validate()).toThrow();
  });

  it("RBAC is get/list/watch only; the pod runs non-root, read-only, without privileges, with requests and a memory limit", () => {
    const docs = parseAllDocuments(render()).map((d) => d.toJS());
    const role = docs.find((d) => d.kind === "ClusterRole");
    const verbs = new Set(role.rules.flatMap((r: { verbs: string[] }) => r.verbs));
    expect([...verbs].sort()).toEqual(["get", "list", "watch"]);
    const dep = docs.find((d) => d.kind === "Deployment");
    const pod = dep.spec.template.spec;
    expect(pod.serviceAccountName).toBe("headroom-collector");
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const c = pod.containers[0];
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(c.resources.requests.memory).toBeTruthy();
    expect(c.resources.limits.memory).toBeTruthy();
    expect(c.envFrom[0].secretRef.name).toBe("headroom-agent");
  });
});

describe("the agent's bundle", () => {
  it("builds to one file that runs on its own: --help, and a clear error with exit 2 for a bad configuration", () => {
    execFileSync("node", ["scripts/build-agent.mjs"], { encoding: "utf8" });
    const file = path.resolve("agents/collector/dist/collector.js");
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    const help = spawnSync("node", [file, "--help"], { encoding: "utf8", cwd: "/" });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("HEADROOM_TOKEN");
    const bad = spawnSync("node", [file, "--url", "https://h.example", "--token", "nope"], { encoding: "utf8", cwd: "/", env: { ...process.env, HEADROOM_URL: undefined, HEADROOM_TOKEN: undefined } });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: HEADROOM_TOKEN/);
  });
});
