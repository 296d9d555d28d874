import { getDb } from "@/db/client";
import { requireOrg } from "@/lib/auth/require-org";
import { listUserOrgs } from "@/lib/queries/organizations";
import { Providers } from "@/components/providers";
import { SearchPalette } from "@/components/layout/search-palette";
import { Sidebar } from "@/components/layout/sidebar";
import { TimeZoneProvider, TimeZoneSelect } from "@/components/time-zone";
import { requestTimeZone } from "@/lib/time-zone-server";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { user, org } = await requireOrg((await params).org);
  const orgs = await listUserOrgs(getDb(), { userId: user.id });
  const tz = await requestTimeZone();
  return (
    <Providers>
      <TimeZoneProvider tz={tz}>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:shadow dark:focus:bg-zinc-900"
      >
        Skip to content
      </a>
      <div className="min-h-screen md:flex">
        <Sidebar org={org} user={user} orgs={orgs.map((o) => ({ slug: o.slug, name: o.name }))} />
        <div className="min-w-0 flex-1">
          <header className="flex items-center justify-between gap-3 border-b border-zinc-200 bg-white px-3 py-2 sm:px-6 dark:border-zinc-800 dark:bg-zinc-900">
            <SearchPalette org={org.slug} />
            <TimeZoneSelect />
          </header>
          <main id="main" tabIndex={-1} className="min-w-0 px-3 py-4 outline-none sm:px-6 sm:py-5">{children}</main>
        </div>
      </div>
      </TimeZoneProvider>
    </Providers>
  );
}
