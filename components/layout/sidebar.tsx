"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";

export function Sidebar({ org, user }: { org: { slug: string; name: string; role: string }; user: { name: string; email: string } }) {
  const pathname = usePathname();
  const items = [
    { href: `/${org.slug}`, label: "Overview", exact: true },
    { href: `/${org.slug}/incidents`, label: "Incidents" },
    { href: `/${org.slug}/clusters`, label: "Clusters" },
  ];
  return (
    <div className="w-52 shrink-0 border-r border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
    <nav aria-label="Main" className="sticky top-0 flex h-screen flex-col px-3 py-4">
      <Link href={`/${org.slug}`} className="mb-5 px-2 text-base font-semibold tracking-tight">
        <span className="text-red-600">▲</span> Headroom
      </Link>
      <div className="mb-3 px-2 text-xs uppercase tracking-wide text-zinc-500">{org.name}</div>
      <ul className="space-y-0.5">
        {items.map((item) => {
          const active = item.exact ? pathname === item.href : pathname.startsWith(item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`block rounded-md px-2 py-1.5 text-sm ${active ? "bg-zinc-100 font-medium dark:bg-zinc-800" : "text-zinc-600 hover:bg-zinc-50 dark:text-zinc-400 dark:hover:bg-zinc-800/60"}`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
      <div className="mt-auto border-t border-zinc-200 px-2 pt-3 text-xs dark:border-zinc-800">
        <div className="truncate font-medium">{user.name}</div>
        <div className="truncate text-zinc-500">{user.email} · {org.role}</div>
        <button type="button" onClick={() => signOut({ callbackUrl: "/login" })} className="mt-2 text-blue-600 hover:underline dark:text-blue-400">
          Sign out
        </button>
      </div>
    </nav>
    </div>
  );
}
