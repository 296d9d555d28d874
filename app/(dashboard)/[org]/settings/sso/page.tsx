import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireOrg } from "@/lib/auth/require-org";
import { hasRole } from "@/lib/auth/roles";
import { publicUrlFromEnv } from "@/lib/http/public-url";
import { getSsoSettings } from "@/lib/orgs/sso";
import { Card } from "@/components/ui/card";
import { SettingsPage } from "@/components/settings/settings-page";
import { SsoSettingsForm } from "@/components/settings/sso-settings-form";

export const metadata: Metadata = { title: "Single sign-on" };

export default async function SsoPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string>> }) {
  const { org: slug } = await params;
  const { org } = await requireOrg(slug);
  const settings = hasRole(org.role, "admin") ? await getSsoSettings(getDb(), { orgId: org.id }) : null;
  const tested = (await searchParams).tested === "1";
  return (
    <SettingsPage title="Single sign-on" role={org.role} orgName={org.name} help={<>Your team signs in to {org.name} through your OpenID Connect identity provider (Okta, Entra ID, Google, Keycloak…).</>}>
      <Card title="Identity provider">
        <SsoSettingsForm org={slug} initial={settings} callbackUrl={`${publicUrlFromEnv()}/api/auth/callback/sso-${slug}`} justTested={tested} />
      </Card>
    </SettingsPage>
  );
}
