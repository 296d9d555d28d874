import crypto from "node:crypto";

/**
 * Secrets at rest (Prometheus tokens, passwords, custom headers): AES-256-GCM with a key from
 * HEADROOM_SECRET_KEY (32 bytes, base64 or hex). Each value gets a fresh 96-bit nonce and is bound
 * to where it is stored (the associated data, e.g. "cluster:<id>:prometheus-secret"), so a
 * ciphertext copied to another row or column does not decrypt. A database dump holds only
 * `v1.<nonce>.<tag>.<ciphertext>` strings.
 */

export class SecretKeyError extends Error {}

const VERSION = "v1";

export function parseKey(raw: string | undefined): Buffer {
  if (!raw) throw new SecretKeyError("HEADROOM_SECRET_KEY is not set: it must hold 32 random bytes, base64 or hex (openssl rand -base64 32)");
  const text = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) throw new SecretKeyError(`HEADROOM_SECRET_KEY must decode to 32 bytes, got ${key.length}`);
  return key;
}

export function encryptSecret(plaintext: string, aad: string, key: Buffer): string {
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, nonce.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

export function decryptSecret(sealed: string, aad: string, key: Buffer): string {
  const [version, nonce, tag, ct] = sealed.split(".");
  if (version !== VERSION || !nonce || !tag || ct === undefined) throw new SecretKeyError("stored secret is not in the v1 format");
  const iv = Buffer.from(nonce, "base64url");
  const authTag = Buffer.from(tag, "base64url");
  // a full 16-byte tag only: GCM would otherwise accept a truncated one
  if (iv.length !== 12 || authTag.length !== 16) throw new SecretKeyError("stored secret is malformed");
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(authTag);
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretKeyError("stored secret does not decrypt with HEADROOM_SECRET_KEY (was the key changed?)");
  }
}

/** The key of this process, from the environment. */
export const secretKeyFromEnv = () => parseKey(process.env.HEADROOM_SECRET_KEY);
