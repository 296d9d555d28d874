"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useState } from "react";

export function Sidebar({ org, user, orgs }: { org: { slug: string; name: string; role: string }; user: { name: string; email: string }; orgs: { slug: string; name: string }[] }) {
  const pathname = usePathname();
  const router = useRouter();
  const admin = org.role === "admin" || org.role === "owner";
  const items = [
    { href: `/${org.slug}`, label: "Overview", exact: true },
    { href: `/${org.slug}/incidents`, label: "Incidents" },
    { href: `/${org.slug}/at-risk`, label: "At risk" },
    { href: `/${org.slug}/clusters`, label: "Clusters" },
    { href: `/${org.slug}/cost`, label: "Cost" },
    ...(admin
      ? [
          { href: `/${org.slug}/settings/members`, label: "Members", section: "Settings" },
          { href: `/${org.slug}/settings/sso`, label: "Single sign-on" },
          { href: `/${org.slug}/settings/audit`, label: "Audit log" },
          { href: `/${org.slug}/settings/jobs`, label: "Background jobs" },
          { href: `/${org.slug}/settings/notifications`, label: "Notifications" },
          { href: `/${org.slug}/settings/alerts`, label: "Alertmanager" },
        ]
      : []),
  ];
  const [open, setOpen] = useState(false);
  return (
    <div className="shrink-0 border-b border-zinc-200 bg-white md:w-52 md:border-r md:border-b-0 dark:border-zinc-800 dark:bg-zinc-900">
    <nav aria-label="Main" className="flex flex-col px-3 py-2 md:sticky md:top-0 md:h-screen md:py-4">
      <div className="flex items-center justify-between">
        <Link href={`/${org.slug}`} className="px-2 py-1 text-base font-semibold tracking-tight md:mb-4">
          <span className="text-red-600">▲</span> Headroom
        </Link>
        {/* phones: the navigation folds into a menu */}
        <button
          type="button"
          aria-expanded={open}
          aria-controls="main-menu"
          onClick={() => setOpen((o) => !o)}
          onKeyDown={(e) => (e.key === "Escape" ? setOpen(false) : null)}
          className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm md:hidden dark:border-zinc-700"
        >
          {open ? "Close" : "Menu"}
        </button>
      </div>
      <div id="main-menu" className={`${open ? "flex" : "hidden"} flex-1 flex-col pt-2 md:flex md:pt-0`}>
      {orgs.length > 1 ? (
        <label className="mb-3 block px-2">
          <span className="sr-only">Organization</span>
          <select
            value={org.slug}
            onChange={(e) => router.push(`/${e.target.value}`)}
            className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs font-medium dark:border-zinc-700 dark:bg-zinc-950"
          >
            {orgs.map((o) => <option key={o.slug} value={o.slug}>{o.name}</option>)}
          </select>
        </label>
      ) : (
        <div className="mb-3 truncate px-2 text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400" title={org.name}>{org.name}</div>
      )}
      <ul className="space-y-0.5">
        {items.map((item) => {
          const active = item.exact ? pathname === item.href : pathname.startsWith(item.href);
          return (
            <li key={item.href}>
              {"section" in item ? <div className="mt-3 mb-1 px-2 text-[11px] uppercase tracking-wide text-zinc-600 dark:text-zinc-400">{item.section}</div> : null}
              <Link
                href={item.href}
                onClick={() => setOpen(false)}
                aria-current={active ? "page" : undefined}
                className={`block rounded-md px-2 py-1.5 text-sm ${active ? "bg-zinc-100 font-medium dark:bg-zinc-800" : "text-zinc-600 hover:bg-zinc-50 dark:text-zinc-400 dark:hover:bg-zinc-800/60"}`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
      <div className="mt-4 border-t border-zinc-200 px-2 pt-3 text-xs md:mt-auto dark:border-zinc-800">
        <div className="truncate font-medium" title={user.name}>{user.name}</div>
        <div className="truncate text-zinc-600 dark:text-zinc-400" title={`${user.email} · ${org.role}`}>{user.email} · {org.role}</div>
        <button type="button" onClick={() => signOut({ callbackUrl: "/login" })} className="mt-2 text-blue-600 hover:underline dark:text-blue-400">
          Sign out
        </button>
      </div>
      </div>
    </nav>
    </div>
  );
}
