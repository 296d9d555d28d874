import crypto from "node:crypto";
import net, { type AddressInfo } from "node:net";
import Provider, { type Configuration } from "oidc-provider";

export interface IdpAccount {
  email: string;
  verified: boolean;
  name?: string;
}

export interface RunningIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

/**
 * A real OpenID Provider (oidc-provider, certified) on loopback for one organization: one confidential
 * client whose redirect URI is the app's callback for that organization, PKCE required, and accounts
 * signed in through its own login form ("login" is the account id, any password). Consent is implied
 * so the test goes straight back to the app. Email claims ride in the ID token, as most IdPs do.
 */
/** A fresh RS256 key as a private JWK. */
function signingKey() {
  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...(privateKey.export({ format: "jwk" }) as Record<string, string>), kid: crypto.randomUUID(), use: "sig", alg: "RS256" };
}

export async function startIdp(opts: { redirectUri: string; accounts: Record<string, IdpAccount>; clientId?: string }): Promise<RunningIdp> {
  const clientId = opts.clientId ?? "headroom";
  const clientSecret = `secret-${Math.random().toString(36).slice(2)}`;
  const config: Configuration = {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [opts.redirectUri], grant_types: ["authorization_code"], response_types: ["code"] }],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ["oidc-test-cookie-key"] },
    // explicit lifetimes and a signing key of its own: what a real deployment sets (and no quick-start notices)
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Grant: 600, Session: 600 },
    jwks: { keys: [signingKey()] },
    async findAccount(_ctx, id) {
      const a = opts.accounts[id];
      if (!a) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, email: a.email, email_verified: a.verified, name: a.name ?? id }) };
    },
    async loadExistingGrant(ctx) {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (!session?.accountId || !client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope("openid email profile");
      grant.addOIDCClaims(["email", "email_verified", "name"]);
      await grant.save();
      return grant;
    },
  };
  // the issuer must be known before listening: take a free port first
  const probe = await new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
  const issuer = `http://127.0.0.1:${probe}`;
  const provider = new Provider(issuer, config);
  provider.on("server_error", () => {});
  const server = provider.listen(probe, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return {
    issuer,
    clientId,
    clientSecret,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
