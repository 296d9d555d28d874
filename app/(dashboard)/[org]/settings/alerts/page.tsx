import type { Metadata } from "next";
import { requireOrg } from "@/lib/auth/require-org";
import { publicUrlFromEnv } from "@/lib/http/public-url";
import { Card } from "@/components/ui/card";
import { SettingsPage } from "@/components/settings/settings-page";
import { ReceiverTokens, UnmatchedAlerts } from "@/components/notify/alertmanager-settings";

export const metadata: Metadata = { title: "Alertmanager" };

export default async function AlertmanagerSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { org } = await requireOrg(slug);
  return (
    <SettingsPage
      title="Alertmanager"
      role={org.role}
      orgName={org.name}
      help="Headroom receives your Alertmanager's webhooks (HighMemoryUsage, KubePodCrashLooping, KubeContainerOOMKilled…) and shows each alert on the timeline of the incident of the container it names."
    >
      <Card title="Receiver tokens"><ReceiverTokens org={slug} appUrl={publicUrlFromEnv() || "https://headroom.example.com"} /></Card>
      <Card title="Unmatched alerts"><UnmatchedAlerts org={slug} /></Card>
    </SettingsPage>
  );
}
