import type { Metadata } from "next";
import { AuthCard } from "@/components/auth/auth-card";
import { LinkSignIn } from "@/components/auth/link-actions";
import { loadLinkPage } from "@/lib/orgs/link-page";

export const metadata: Metadata = { title: "Set up your organization", referrer: "no-referrer", robots: { index: false } };

export default async function SetupPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await loadLinkPage(token);
  if (link === "limited") return <AuthCard title="Too many attempts"><p className="text-sm text-zinc-600 dark:text-zinc-400">Wait a minute, then open the link again.</p></AuthCard>;
  if (link === "unusable" || link.kind !== "setup") {
    return (
      <AuthCard title="This setup link cannot be used">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          It was already used, it expired (setup links last one hour), or it was revoked. Ask the operator for a new one:
        </p>
        <pre tabIndex={0} className="mt-2 overflow-x-auto rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-800">npm run org -- setup-link --slug &lt;organization&gt;</pre>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={`Set up ${link.orgName}`}>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
        This one-time link signs in <span className="font-medium text-zinc-900 dark:text-zinc-100">{link.email}</span> as the owner of{" "}
        {link.orgName}. Next: connect your identity provider, so that your team signs in with single sign-on.
      </p>
      <LinkSignIn token={token} callbackUrl={`/${link.orgSlug}/settings/sso`} label="Sign in and set up single sign-on" />
    </AuthCard>
  );
}
