import type { Metadata } from "next";
import { requireOrg } from "@/lib/auth/require-org";
import { Card } from "@/components/ui/card";
import { SettingsPage } from "@/components/settings/settings-page";
import { MembersManager } from "@/components/settings/members-manager";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { org, user } = await requireOrg(slug);
  return (
    <SettingsPage
      title="Members"
      role={org.role}
      orgName={org.name}
      help="Viewers read; members also acknowledge and resolve incidents and share links; admins manage clusters, single sign-on and members; owners also manage admins."
    >
      <Card title="People"><MembersManager org={slug} myRole={org.role} myUserId={user.id} /></Card>
    </SettingsPage>
  );
}
