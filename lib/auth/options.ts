import "server-only";
import type { NextAuthOptions, User } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { clientIp } from "@/lib/http/client-ip";
import { redeemLink } from "@/lib/orgs/links";
import { resolveSsoSignIn, SignInRefused } from "@/lib/orgs/sso-sign-in";
import { listSsoProviders, type SsoProviderConfig } from "@/lib/orgs/sso";
import { getDemoLogin, getPublicDemoVisitor } from "@/lib/queries/organizations";
import { guardedLookup, policyFromEnv } from "@/lib/security/outbound";
import { consumeRateLimit } from "@/lib/security/rate-limit";
import { createSession, revokeSession, SESSION_SECONDS } from "./sessions";

type SignedInUser = User & { headroomUserId?: string; method?: string };

async function requestIp(): Promise<string | null> {
  try {
    return clientIp(await headers());
  } catch {
    return null;
  }
}

/** true when the demo is on the internet: visitors sign in read-only and cannot change the demo organization. */
export const isPublicDemo = () => /^(1|true|yes)$/i.test(process.env.HEADROOM_PUBLIC_DEMO ?? "");

const demoProvider = CredentialsProvider({
  id: "demo",
  name: "Demo account",
  credentials: {},
  async authorize() {
    const db = getDb();
    const demo = isPublicDemo() ? await getPublicDemoVisitor(db) : await getDemoLogin(db);
    return demo ? ({ id: demo.userId, email: demo.email, name: demo.name, method: "demo" } as SignedInUser) : null;
  },
});

// a setup link (an organization's first owner) or an invite: single use, then a normal session
const linkProvider = CredentialsProvider({
  id: "link",
  name: "Setup or invite link",
  credentials: { token: { type: "text" } },
  async authorize(credentials) {
    const db = getDb();
    const ip = await requestIp();
    await consumeRateLimit(db.$client, "signin", ip ?? "unknown");
    const u = await redeemLink(db, { token: String(credentials?.token ?? ""), now: new Date(), ip });
    return { id: u.userId, email: u.email, name: u.name, method: `link:${u.kind}` } as SignedInUser;
  },
});

/** next-auth's provider for an organization's OIDC identity provider: PKCE, state and nonce all checked. */
function ssoProvider(p: SsoProviderConfig): OAuthConfig<Record<string, unknown>> {
  const d = p.discovery;
  return {
    id: `sso-${p.slug}`,
    name: p.name,
    type: "oauth",
    issuer: d.issuer,
    authorization: { url: d.authorization_endpoint, params: { scope: "openid email profile" } },
    token: d.token_endpoint,
    ...(d.userinfo_endpoint ? { userinfo: d.userinfo_endpoint } : {}),
    jwks_endpoint: d.jwks_uri,
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    clientId: p.clientId,
    clientSecret: p.clientSecret,
    // the token and key requests go to addresses the outbound guard allows, checked at connect time
    httpOptions: { timeout: 10_000, lookup: guardedLookup(policyFromEnv()) } as never,
    profile: (profile) => ({ id: String(profile.sub), email: typeof profile.email === "string" ? profile.email : null, name: typeof profile.name === "string" ? profile.name : null }),
  };
}

function buildOptions(sso: SsoProviderConfig[]): NextAuthOptions {
  const byId = new Map(sso.map((p) => [`sso-${p.slug}`, p]));
  return {
    session: { strategy: "jwt", maxAge: SESSION_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    // one line per problem: next-auth's own logger prints whole objects, which can hold a provider's client secret
    logger: {
      error: (code, metadata) => console.warn(`[auth] ${code}: ${(metadata as { message?: string } | undefined)?.message ?? ""}`.slice(0, 300)),
      warn: (code) => console.warn(`[auth] ${code}`),
      debug: () => {},
    },
    providers: [demoProvider, linkProvider, ...sso.map(ssoProvider)],
    callbacks: {
      async signIn({ user, account, profile }) {
        const provider = account ? byId.get(account.provider) : undefined;
        if (!provider) return account?.type === "credentials";
        try {
          const r = await resolveSsoSignIn(getDb(), {
            provider,
            subject: String(profile?.sub ?? account!.providerAccountId),
            email: typeof profile?.email === "string" ? profile.email : undefined,
            emailVerified: (profile as Record<string, unknown> | undefined)?.email_verified,
            now: new Date(),
            ip: await requestIp(),
          });
          const u = user as SignedInUser;
          u.headroomUserId = r.userId;
          u.method = `sso:${provider.slug}`;
          return true;
        } catch (e) {
          if (e instanceof SignInRefused) return `/login?error=sso-${e.code}`;
          throw e;
        }
      },
      async jwt({ token, user }) {
        if (user) {
          const u = user as SignedInUser;
          const uid = u.headroomUserId ?? u.id;
          token.uid = uid;
          token.sub = uid;
          token.sid = await createSession(getDb(), { userId: uid, method: u.method ?? "unknown", ip: await requestIp(), now: new Date() });
        }
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        if (typeof token.sid === "string") session.sid = token.sid;
        return session;
      },
      redirect({ url, baseUrl }) {
        // same-origin only: a relative path, or an absolute URL on this app's origin
        if (url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\")) return `${baseUrl}${url}`;
        try {
          if (new URL(url).origin === baseUrl) return url;
        } catch {
          /* not a URL */
        }
        return baseUrl;
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === "string") await revokeSession(getDb(), { sessionId: token.sid, now: new Date() });
      },
    },
  };
}

/** The options pages use to read the session (no organization's provider is needed for that). */
export const authOptions: NextAuthOptions = buildOptions([]);

/** The options of the sign-in routes: every organization's identity provider, read for each request. */
export async function authOptionsForRequest(): Promise<NextAuthOptions> {
  return buildOptions(await listSsoProviders(getDb()));
}

export { SignInRefused };
