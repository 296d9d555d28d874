import type { ContainerInput, Recommendation } from "./types";

const KINDS = new Set(["deployment", "statefulset", "daemonset", "replicaset", "job", "cronjob"]);
const shellSafe = (s: string) => (/^[A-Za-z0-9._/=:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The kubectl command and the equivalent strategic-merge patch that apply a recommendation to the workload. */
export function fixCommands(c: ContainerInput, rec: Recommendation): { kubectl: string | null; patch: string | null; kubectlPatch: string | null; note?: string } {
  const kind = (c.workload?.kind ?? "").toLowerCase();
  const name = c.workload?.name;
  if (!KINDS.has(kind) || !name) {
    return {
      kubectl: null, patch: null, kubectlPatch: null,
      note: "A bare Pod's resources cannot be changed in place: change the manifest that creates it and recreate the pod.",
    };
  }
  const ns = c.namespace ? ` -n ${shellSafe(c.namespace)}` : "";
  const kubectl = `kubectl set resources ${kind}/${shellSafe(name)}${ns} -c ${shellSafe(c.name)} --limits=memory=${rec.limit} --requests=memory=${rec.request}`;
  const resources = { requests: { memory: rec.request }, limits: { memory: rec.limit } };
  const podSpec = { containers: [{ name: c.name, resources }] };
  const body = kind === "cronjob" ? { spec: { jobTemplate: { spec: { template: { spec: podSpec } } } } } : { spec: { template: { spec: podSpec } } };
  const pad = (n: number) => "  ".repeat(n);
  const templatePath = kind === "cronjob" ? ["spec:", "jobTemplate:", "spec:", "template:", "spec:"] : ["spec:", "template:", "spec:"];
  const depth = templatePath.length;
  const patch = [
    ...templatePath.map((line, i) => `${pad(i)}${line}`),
    `${pad(depth)}containers:`,
    `${pad(depth)}- name: ${c.name}`,
    `${pad(depth + 1)}resources:`,
    `${pad(depth + 2)}requests:`,
    `${pad(depth + 3)}memory: ${rec.request}`,
    `${pad(depth + 2)}limits:`,
    `${pad(depth + 3)}memory: ${rec.limit}`,
  ].join("\n") + "\n";
  const kubectlPatch = `kubectl patch ${kind}/${shellSafe(name)}${ns} --type=strategic -p '${JSON.stringify(body)}'`;
  return { kubectl, patch, kubectlPatch };
}
