import type { Metadata } from "next";
import { requireOrg } from "@/lib/auth/require-org";
import { Card } from "@/components/ui/card";
import { SettingsPage } from "@/components/settings/settings-page";
import { AuditLog } from "@/components/settings/audit-log";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { org } = await requireOrg(slug);
  return (
    <SettingsPage title="Audit log" role={org.role} orgName={org.name} help="Every change to clusters, single sign-on, members, invitations and share links: who, what, when and from where.">
      <Card title="Changes"><AuditLog org={slug} /></Card>
    </SettingsPage>
  );
}
