import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireOrg } from "@/lib/auth/require-org";
import { getAlertSettings } from "@/lib/at-risk/settings";
import { Card } from "@/components/ui/card";
import { SettingsPage } from "@/components/settings/settings-page";
import { AlertLevels, NotificationChannels } from "@/components/notify/notification-settings";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { org } = await requireOrg(slug);
  const levels = await getAlertSettings(getDb(), { orgId: org.id });
  return (
    <SettingsPage
      title="Notifications"
      role={org.role}
      orgName={org.name}
      help="Where Headroom warns before the kill: a new incident, a container at the critical level of its limit, a leak projected to reach it. Grouped, at most one message per container per window, retried when the receiver fails."
    >
      <Card title="Channels"><NotificationChannels org={slug} /></Card>
      <Card title="Alert levels"><AlertLevels org={slug} initial={levels} /></Card>
    </SettingsPage>
  );
}
