"use client";

/** Shared pieces of the cluster forms: a labelled field with its help line and error. */
export function Field({ label, help, error, children, htmlFor }: { label: string; help?: React.ReactNode; error?: string; children: React.ReactNode; htmlFor: string }) {
  return (
    <div className="space-y-1">
      <label htmlFor={htmlFor} className="block text-sm font-medium">{label}</label>
      {children}
      {error ? <p role="alert" className="text-xs text-red-600 dark:text-red-400">{error}</p> : help ? <p className="text-xs text-zinc-500">{help}</p> : null}
    </div>
  );
}

export const inputClass =
  "w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-blue-500 focus:outline-none focus:ring-2 focus:ring-blue-500/20 dark:border-zinc-700 dark:bg-zinc-950";

export const buttonClass = {
  primary: "rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900",
  secondary: "rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800",
};

export interface ApiProblem {
  error: string;
  issues?: { path: string; message: string }[];
}

/** JSON request that throws the API's error body (400 issues, 409, 502…) for the form to show. */
export async function send<T>(url: string, method: string, body?: unknown): Promise<T> {
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json().catch(() => ({ error: `HTTP ${res.status}` }))) as T & ApiProblem;
  if (!res.ok) throw Object.assign(new Error(json.error ?? `HTTP ${res.status}`), { problem: json as ApiProblem });
  return json;
}

/** The message of one field from a 400's issues. */
export const issueFor = (e: unknown, path: string) => (e as { problem?: ApiProblem } | null)?.problem?.issues?.find((i) => i.path === path)?.message;
