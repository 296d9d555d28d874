import type { Metadata } from "next";
import { AuthCard } from "@/components/auth/auth-card";
import { AcceptInvite, LinkSignIn } from "@/components/auth/link-actions";
import { getSessionUser } from "@/lib/auth/session";
import { loadLinkPage } from "@/lib/orgs/link-page";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer", robots: { index: false } };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await loadLinkPage(token);
  if (link === "limited") return <AuthCard title="Too many attempts"><p className="text-sm text-zinc-600 dark:text-zinc-400">Wait a minute, then open the link again.</p></AuthCard>;
  if (link === "unusable" || link.kind !== "invite") {
    return (
      <AuthCard title="This invitation cannot be used">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">It was already used, it expired, or it was revoked. Ask the person who invited you for a new one.</p>
      </AuthCard>
    );
  }
  const user = await getSessionUser();
  return (
    <AuthCard title={`Join ${link.orgName}`}>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
        <span className="font-medium text-zinc-900 dark:text-zinc-100">{link.email}</span> is invited to {link.orgName} as a {link.role}.
      </p>
      {user ? (
        user.email === link.email ? (
          <AcceptInvite token={token} />
        ) : (
          <p role="alert" className="text-sm text-amber-700 dark:text-amber-400">
            You are signed in as {user.email}. Sign out, then open this link again to accept it as {link.email}.
          </p>
        )
      ) : (
        <LinkSignIn token={token} callbackUrl={`/${link.orgSlug}`} label="Accept and sign in" />
      )}
    </AuthCard>
  );
}
