/** What the sign-in page says for each reason a sign-in was refused (next-auth's codes and ours). */
export const SIGN_IN_ERRORS: Record<string, string> = {
  "sso-unverified": "Your identity provider did not confirm that your email address is verified, so Headroom cannot sign you in. Ask your administrator to verify it, then try again.",
  "sso-domain": "Your email address is not in a domain this organization signs in with. Ask one of its admins to invite you.",
  "sso-linked": "This email address already signs in through another identity provider. Continue with that one.",
  "sso-account": "An account with this email address exists but does not belong to this organization. Ask one of its admins to invite it.",
  "sso-disabled": "Single sign-on is not switched on for this organization yet.",
  "sso-not-admin": "Single sign-on is being tested: until an admin switches it on, only owners and admins can sign in with it.",
  "no-organization": "Your account does not belong to any organization any more. Ask an admin to invite you.",
  OAuthSignin: "Headroom could not start the sign-in with your identity provider. Try again, or ask an admin to check the single sign-on settings.",
  OAuthCallback: "The sign-in could not be completed: the identity provider refused it, or its answer could not be verified (expired, replayed or altered). Start again.",
  Callback: "The sign-in could not be completed. Start again.",
  OAuthAccountNotLinked: "This account is linked to another sign-in method.",
  AccessDenied: "Access denied.",
  CredentialsSignin: "This link cannot be used: it was already used, it expired, or it was revoked. Ask for a new one.",
  SessionRequired: "Sign in to see this page.",
};

/** The sentence for an error code; unknown codes get a generic one (never the raw code alone). */
export const signInErrorMessage = (code: string) => SIGN_IN_ERRORS[code] ?? "The sign-in did not succeed. Try again.";

/** A return path that stays on this site: a relative path, never `//host` or `/\\host`; else "/". */
export function safeReturnPath(raw: string | undefined | null): string {
  if (!raw || raw.length > 2000) return "/";
  try {
    const base = "http://headroom.invalid";
    const u = new URL(raw, base);
    if (u.origin !== base) return "/";
    if (!raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
    return `${u.pathname}${u.search}${u.hash}`;
  } catch {
    return "/";
  }
}
