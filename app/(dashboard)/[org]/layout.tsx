import { requireOrg } from "@/lib/auth/require-org";
import { Providers } from "@/components/providers";
import { Sidebar } from "@/components/layout/sidebar";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { user, org } = await requireOrg((await params).org);
  return (
    <Providers>
      <div className="min-h-screen md:flex">
        <Sidebar org={org} user={user} />
        <main className="min-w-0 flex-1 px-3 py-4 sm:px-6 sm:py-5">{children}</main>
      </div>
    </Providers>
  );
}
