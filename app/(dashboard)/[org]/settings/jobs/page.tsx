import type { Metadata } from "next";
import { requireOrg } from "@/lib/auth/require-org";
import { SettingsPage } from "@/components/settings/settings-page";
import { JobsList } from "@/components/settings/jobs-list";

export const metadata: Metadata = { title: "Background jobs" };

export default async function JobsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { org } = await requireOrg(slug);
  return (
    <SettingsPage title="Background jobs" role={org.role} orgName={org.name} help="Scheduled and queued work for this organization's clusters: what waits, what runs, and what failed with its error. A failed job can be retried.">
      <JobsList org={slug} />
    </SettingsPage>
  );
}
