import { InputError } from "./errors";

// Kubernetes' own rules (apimachinery validation): a DNS-1123 label for namespaces and container
// names, a DNS-1123 subdomain for object names, a C identifier (relaxed as kubectl accepts) for env vars.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Whether `v` is a valid namespace or container name (DNS-1123 label, at most 63 characters). */
export const isDnsLabel = (v: string) => v.length <= 63 && DNS1123_LABEL.test(v);
/** Whether `v` is a valid object name such as a Deployment's or a Pod's (DNS-1123 subdomain, at most 253). */
export const isDnsSubdomain = (v: string) => v.length <= 253 && DNS1123_SUBDOMAIN.test(v);
/** Whether `v` is a valid environment variable name. */
export const isEnvName = (v: string) => ENV_NAME.test(v);

/** The first name of a container description Kubernetes would refuse, as [field path, reason], or null. */
export function invalidName(c: {
  namespace?: string | null;
  name: string;
  pod?: string | null;
  workload?: { name?: string | null } | null;
  env?: Record<string, string> | null;
}, pods: (string | null | undefined)[] = []): [string, string] | null {
  if (!isDnsLabel(c.name)) return ["container.name", "is not a valid Kubernetes container name (lower-case letters, digits and '-', at most 63)"];
  if (c.namespace != null && !isDnsLabel(c.namespace)) return ["container.namespace", "is not a valid Kubernetes namespace (lower-case letters, digits and '-', at most 63)"];
  if (c.workload?.name != null && !isDnsSubdomain(c.workload.name)) return ["container.workload.name", "is not a valid Kubernetes object name (lower-case letters, digits, '-' and '.')"];
  if (c.pod != null && !isDnsSubdomain(c.pod)) return ["container.pod", "is not a valid Kubernetes pod name (lower-case letters, digits, '-' and '.')"];
  for (const k of Object.keys(c.env ?? {})) if (!isEnvName(k)) return [`container.env.${k}`, "is not a valid environment variable name"];
  for (let i = 0; i < pods.length; i++) {
    const p = pods[i];
    if (p != null && !isDnsSubdomain(p)) return [`pods[${i}].name`, "is not a valid Kubernetes pod name (lower-case letters, digits, '-' and '.')"];
  }
  return null;
}

/** Throws InputError for the first name Kubernetes would refuse. */
export function assertValidNames(...args: Parameters<typeof invalidName>): void {
  const bad = invalidName(...args);
  if (bad) throw new InputError(bad[0], bad[1]);
}
