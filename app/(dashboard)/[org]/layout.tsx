import { getDb } from "@/db/client";
import { requireOrg } from "@/lib/auth/require-org";
import { listUserOrgs } from "@/lib/queries/organizations";
import { Providers } from "@/components/providers";
import { Sidebar } from "@/components/layout/sidebar";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { user, org } = await requireOrg((await params).org);
  const orgs = await listUserOrgs(getDb(), { userId: user.id });
  return (
    <Providers>
      <div className="min-h-screen md:flex">
        <Sidebar org={org} user={user} orgs={orgs.map((o) => ({ slug: o.slug, name: o.name }))} />
        <main className="min-w-0 flex-1 px-3 py-4 sm:px-6 sm:py-5">{children}</main>
      </div>
    </Providers>
  );
}
