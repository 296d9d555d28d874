"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Member, PendingInvite } from "@/lib/orgs/members";
import type { Role } from "@/lib/auth/roles";
import { formatAgo } from "@/lib/format";
import { buttonClass, inputClass, issueFor, send } from "@/components/clusters/form-bits";
import { CopyButton } from "@/components/ui/copy-button";
import { ErrorState, Skeleton } from "@/components/ui/card";
import { fetchJson } from "@/components/ui/table";
import { useAction } from "@/components/ui/use-action";

const ROLE_ORDER: Role[] = ["viewer", "member", "admin", "owner"];

/** Members with their roles (change, remove), pending invitations (revoke) and the invite form. */
export function MembersManager({ org, myRole, myUserId }: { org: string; myRole: Role; myUserId: string }) {
  const api = `/api/v1/orgs/${encodeURIComponent(org)}`;
  const key = ["members", org] as const;
  const q = useQuery({ queryKey: key, queryFn: () => fetchJson<{ members: Member[]; invites: PendingInvite[] }>(`${api}/members`) });
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [invited, setInvited] = useState<{ url: string; email: string } | null>(null);
  const { run: act, error } = useAction(key);
  // admins manage viewers and members; owners everything
  const assignable = myRole === "owner" ? ROLE_ORDER : ROLE_ORDER.slice(0, 2);
  const mayManage = (r: Role) => myRole === "owner" || (myRole === "admin" && (r === "viewer" || r === "member"));


  if (q.isPending) return <div className="space-y-2 p-4"><Skeleton className="h-6 w-full" /><Skeleton className="h-6 w-full" /><Skeleton className="h-6 w-2/3" /></div>;
  if (q.isError) return <ErrorState title="Could not load the members">{q.error.message}</ErrorState>;
  const { members, invites } = q.data;
  return (
    <div className="space-y-5 p-4 text-sm">
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Members">
        {members.map((m) => (
          <li key={m.userId} className="flex flex-wrap items-center justify-between gap-2 py-2">
            <div className="min-w-0">
              <div className="truncate font-medium" title={m.email}>{m.email}{m.userId === myUserId ? <span className="font-normal text-zinc-500"> (you)</span> : null}</div>
              <div className="text-xs text-zinc-500">joined {formatAgo(m.joinedAt)} · {m.sso ? "signs in with SSO" : "not signed in with SSO yet"}</div>
            </div>
            <div className="flex items-center gap-2">
              {mayManage(m.role) && m.userId !== myUserId ? (
                <select
                  aria-label={`Role of ${m.email}`}
                  value={m.role}
                  onChange={(e) => act(() => send(`${api}/members/${m.userId}`, "PATCH", { role: e.target.value }))}
                  className={`${inputClass} w-28`}
                >
                  {assignable.map((r) => <option key={r} value={r}>{r}</option>)}
                </select>
              ) : (
                <span className="rounded bg-zinc-100 px-2 py-0.5 text-xs dark:bg-zinc-800">{m.role}</span>
              )}
              {mayManage(m.role) && m.userId !== myUserId ? (
                <button type="button" className="text-xs text-red-700 hover:underline dark:text-red-400" onClick={() => { if (confirm(`Remove ${m.email} from this organization?`)) void act(() => send(`${api}/members/${m.userId}`, "DELETE")); }}>
                  Remove
                </button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      {error ? <p role="alert" className="text-red-600 dark:text-red-400">{issueFor(error, "email") ?? (error as Error).message}</p> : null}
      <form
        className="flex flex-wrap items-end gap-2 border-t border-zinc-200 pt-4 dark:border-zinc-800"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const r = await send<{ url: string; email: string }>(`${api}/invites`, "POST", { email, role });
            setInvited(r);
            setEmail("");
          });
        }}
      >
        <label className="w-full space-y-1 sm:w-auto sm:min-w-0 sm:flex-1">
          <span className="block text-xs font-medium">Invite by email</span>
          <input type="email" required aria-label="Email to invite" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="contractor@partner.example" className={inputClass} />
        </label>
        <label className="space-y-1">
          <span className="block text-xs font-medium">Role</span>
          <select aria-label="Role of the invited person" value={role} onChange={(e) => setRole(e.target.value as Role)} className={`${inputClass} w-28`}>
            {assignable.filter((r) => r !== "owner").map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <button type="submit" className={buttonClass.primary}>Create invite link</button>
        <p className="w-full text-xs text-zinc-500">For people outside your single sign-on domains. The link works once, for 7 days; send it yourself.</p>
      </form>
      {invited ? (
        <div role="status" className="rounded-md border border-green-200 bg-green-50 p-3 dark:border-green-900 dark:bg-green-950">
          <p className="mb-2 text-xs text-green-800 dark:text-green-200">Invite link for {invited.email} — copy it now, it is shown only once.</p>
          <div className="flex items-center gap-2">
            <code className="min-w-0 flex-1 truncate font-mono text-xs" title={invited.url} data-testid="invite-url">{invited.url}</code>
            <CopyButton text={invited.url} label="Copy link" />
          </div>
        </div>
      ) : null}
      {invites.length ? (
        <div>
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">Pending invitations</h3>
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {invites.map((i) => (
              <li key={i.id} className="flex items-center justify-between gap-2 py-1.5 text-xs">
                <span className="min-w-0 truncate" title={`${i.email} · ${i.role} · expires ${i.expiresAt.slice(0, 10)}`}>{i.email} · {i.role} · expires {i.expiresAt.slice(0, 10)}</span>
                <button type="button" className="text-red-700 hover:underline dark:text-red-400" onClick={() => act(() => send(`${api}/invites/${i.id}`, "DELETE"))}>Revoke</button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
