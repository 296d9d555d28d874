import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeInput } from "@/lib/analysis";
import { demoAnalysisInput } from "@/lib/scenarios/analysis-input";

const NOW = 1_764_900_000;
const KUBECTL = process.env.KUBECTL ?? "kubectl";
const hasKubectl = spawnSync(KUBECTL, ["version", "--client"], { stdio: "ignore" }).status === 0;
if (!hasKubectl && process.env.CI) throw new Error("kubectl is required for these tests (the generated commands are checked by a real kubectl)");

function manifest(kind: string, name: string, ns: string, container: string): string {
  const pod = { containers: [{ name: container, image: "example:1", resources: { requests: { memory: "1Mi" }, limits: { memory: "2Mi" } } }] };
  const template = { metadata: { labels: { app: name } }, spec: pod };
  const apiVersion = kind === "CronJob" ? "batch/v1" : "apps/v1";
  const spec =
    kind === "CronJob" ? { schedule: "0 * * * *", jobTemplate: { spec: { template: { ...template, spec: { ...pod, restartPolicy: "OnFailure" } } } } }
    : kind === "DaemonSet" ? { selector: { matchLabels: { app: name } }, template }
    : { replicas: 1, selector: { matchLabels: { app: name } }, template, ...(kind === "StatefulSet" ? { serviceName: name } : {}) };
  return JSON.stringify({ apiVersion, kind, metadata: { name, namespace: ns }, spec });
}

describe.runIf(hasKubectl || process.env.CI)("the fix is accepted by a real kubectl", () => {
  const cases: [string, string][] = [
    ["prod-eu", "payments-api"], // Deployment
    ["prod-eu", "ledger-db"], // StatefulSet
    ["prod-us", "node-exporter"], // DaemonSet (prod-eu/log-shipper is right-sized: no command)
    ["prod-eu", "nightly-etl"], // CronJob
  ];
  it.each(cases)("%s/%s: kubectl set resources and kubectl patch give the recommended resources", (cluster, workload) => {
    const input = demoAnalysisInput(cluster, workload, NOW, { days: 7 });
    const out = analyzeInput(input);
    const rec = out.recommendation!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubectl-"));
    const file = path.join(dir, "manifest.json");
    fs.writeFileSync(file, manifest(input.container.workload!.kind!, input.container.workload!.name!, input.container.namespace!, input.container.name));

    const set = out.commands!.kubectl!;
    expect(set).toContain(`${input.container.workload!.kind!.toLowerCase()}/${workload}`);
    const setArgs = set.replace(/^kubectl /, "").split(" ").filter((a) => !a.includes("/") || a.startsWith("--"));
    const viaSet = JSON.parse(execFileSync(KUBECTL, [...setArgs, "--local", "-f", file, "-o", "json"], { encoding: "utf8" }));
    const setSpec = viaSet.kind === "CronJob" ? viaSet.spec.jobTemplate.spec.template.spec : viaSet.spec.template.spec;
    expect(setSpec.containers[0].resources).toEqual({ requests: { memory: rec.request }, limits: { memory: rec.limit } });

    const body = /-p '(.*)'$/.exec(out.commands!.kubectlPatch!)![1]!;
    const viaPatch = JSON.parse(execFileSync(KUBECTL, ["patch", "--local", "-f", file, "--type=strategic", "-p", body, "-o", "json"], { encoding: "utf8" }));
    const patchSpec = viaPatch.kind === "CronJob" ? viaPatch.spec.jobTemplate.spec.template.spec : viaPatch.spec.template.spec;
    expect(patchSpec.containers[0].resources).toEqual({ requests: { memory: rec.request }, limits: { memory: rec.limit } });

    // the YAML patch for GitOps users says the same thing
    const yamlFile = path.join(dir, "patch.yaml");
    fs.writeFileSync(yamlFile, out.commands!.patch!);
    const viaYaml = JSON.parse(execFileSync(KUBECTL, ["patch", "--local", "-f", file, "--type=strategic", "--patch-file", yamlFile, "-o", "json"], { encoding: "utf8" }));
    const yamlSpec = viaYaml.kind === "CronJob" ? viaYaml.spec.jobTemplate.spec.template.spec : viaYaml.spec.template.spec;
    expect(yamlSpec.containers[0].resources).toEqual(patchSpec.containers[0].resources);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
