import { shellJoin, shellQuote } from "./shell";
import type { AnalysisOutput, ContainerInput, Recommendation } from "./types";

const KINDS = new Set(["deployment", "statefulset", "daemonset", "replicaset", "job", "cronjob"]);

/** A YAML scalar: plain when it cannot be read as anything but the string, else double-quoted (JSON is valid YAML). */
const yamlScalar = (v: string) => (/^[A-Za-z0-9][A-Za-z0-9._\-/=:]*$/.test(v) && !/^(true|false|null|yes|no|on|off|~|[-+.\d][\d.eE+-]*)$/i.test(v) ? v : JSON.stringify(v));

export type FixCommands = NonNullable<AnalysisOutput["commands"]>;

/** An environment variable name safe as a bare shell word and never a kubectl flag. */
const SAFE_ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * The commands that apply a recommendation: `kubectl set resources` on the workload (and `kubectl set
 * env` when a heap ceiling must come down with the limit), the equivalent strategic-merge patch as
 * YAML and as a `kubectl patch`, and the in-place resize of the running pods where the cluster can.
 * Every word is shell-quoted by one function.
 */
export function fixCommands(c: ContainerInput, rec: Recommendation, q: { env?: Record<string, string>; runningPods?: string[] } = {}): FixCommands {
  const kind = (c.workload?.kind ?? "").toLowerCase();
  const name = c.workload?.name;
  // a name that is not a plain identifier is never typed into a shell or a kubectl argument (a leading
  // dash would be read as a flag, other characters as shell syntax): such a variable is left to the manifest
  const allEnv = Object.entries(q.env ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const env = allEnv.filter(([k]) => SAFE_ENV_NAME.test(k));
  const unsafe = allEnv.length - env.length;
  const unsafeNote = unsafe ? `${unsafe === 1 ? "One heap variable has a name" : `${unsafe} heap variables have names`} that cannot be typed safely in a shell: change ${unsafe === 1 ? "it" : "them"} in the manifest.` : null;
  const ns = c.namespace ? ["-n", c.namespace] : [];
  const resources = { requests: { memory: rec.request }, limits: { memory: rec.limit } };
  const resize = resizeCommands(c, rec, resources, ns, env.length > 0, q.runningPods ?? []);
  if (!KINDS.has(kind) || !name) {
    return {
      kubectl: null, env: null, patch: null, kubectlPatch: null, ...resize,
      note: "A bare Pod's template cannot be changed: change the manifest that creates it and recreate the pod.",
    };
  }
  const withUnsafe = (note: string | undefined) => (unsafeNote ? { note: note ? `${note} ${unsafeNote}` : unsafeNote } : note ? { note } : {});
  const target = `${kind}/${name}`;
  const kubectl = shellJoin(["kubectl", "set", "resources", target, ...ns, "-c", c.name, `--limits=memory=${rec.limit}`, `--requests=memory=${rec.request}`]);
  const envCommand = env.length ? [shellJoin(["kubectl", "set", "env", target, ...ns, "-c", c.name]), ...env.map(([k, v]) => `${k}=${shellQuote(v)}`)].join(" ") : null;
  const container = { name: c.name, resources, ...(env.length ? { env: env.map(([k, v]) => ({ name: k, value: v })) } : {}) };
  const podSpec = { containers: [container] };
  const body = kind === "cronjob" ? { spec: { jobTemplate: { spec: { template: { spec: podSpec } } } } } : { spec: { template: { spec: podSpec } } };
  const pad = (n: number) => "  ".repeat(n);
  const templatePath = kind === "cronjob" ? ["spec:", "jobTemplate:", "spec:", "template:", "spec:"] : ["spec:", "template:", "spec:"];
  const depth = templatePath.length;
  const patch = [
    ...templatePath.map((line, i) => `${pad(i)}${line}`),
    `${pad(depth)}containers:`,
    `${pad(depth)}- name: ${yamlScalar(c.name)}`,
    `${pad(depth + 1)}resources:`,
    `${pad(depth + 2)}requests:`,
    `${pad(depth + 3)}memory: ${rec.request}`,
    `${pad(depth + 2)}limits:`,
    `${pad(depth + 3)}memory: ${rec.limit}`,
    ...(env.length ? [`${pad(depth + 1)}env:`, ...env.flatMap(([k, v]) => [`${pad(depth + 1)}- name: ${yamlScalar(k)}`, `${pad(depth + 2)}value: ${yamlScalar(v)}`])] : []),
  ].join("\n") + "\n";
  const kubectlPatch = shellJoin(["kubectl", "patch", target, ...ns, "--type=strategic", "-p", JSON.stringify(body)]);
  return {
    kubectl, env: envCommand, patch, kubectlPatch, ...resize,
    ...withUnsafe(envCommand ? "Run both commands (each starts a rollout), or apply the patch, which changes the limit and the heap setting in one rollout." : undefined),
  };
}

/** `kubectl patch pod … --subresource resize` for each running pod: the new resources without a restart (Kubernetes 1.33+). */
function resizeCommands(c: ContainerInput, rec: Recommendation, resources: object, ns: string[], envChanges: boolean, pods: string[]): { resize: string | null; resizeNote: string | null } {
  if (pods.length === 0) return { resize: null, resizeNote: null };
  if (envChanges) return { resize: null, resizeNote: "No in-place resize: the heap setting changes too, and a running process only reads it when it starts." };
  // Kubernetes resizes in place only what keeps the pod's QoS class: no request or limit added, request = limit kept as it was
  if (c.limitBytes == null || c.requestBytes == null) {
    return { resize: null, resizeNote: "No in-place resize: the container has no memory request or limit today, and a resize cannot add one. Apply the template change." };
  }
  if ((c.requestBytes === c.limitBytes) !== (rec.requestBytes === rec.limitBytes)) {
    return { resize: null, resizeNote: "No in-place resize: the change moves the pod to another QoS class (request equal to the limit or not), which Kubernetes only does by recreating it. Apply the template change." };
  }
  const lowersLimit = rec.limitBytes < c.limitBytes;
  const body = JSON.stringify({ spec: { containers: [{ name: c.name, resources }] } });
  const resize = [...pods].sort().map((pod) => shellJoin(["kubectl", "patch", "pod", pod, ...ns, "--subresource", "resize", "--type=strategic", "-p", body])).join("\n");
  const resizeNote = lowersLimit
    ? "Applies to the running pods without a restart; needs Kubernetes 1.34+ to lower a memory limit in place (1.33 resizes upward only), and kubectl 1.32+. The template change above is what persists."
    : "Applies to the running pods without a restart; needs Kubernetes 1.33+ (in-place pod resize) and kubectl 1.32+. The template change above is what persists.";
  return { resize, resizeNote };
}
