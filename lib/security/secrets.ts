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

/** The 32-byte key HEADROOM_SECRET_KEY holds (64 hex digits, else base64); a SecretKeyError that says what is wrong. */
export function parseKey(raw: string | undefined): Buffer {
  if (!raw) throw new SecretKeyError("HEADROOM_SECRET_KEY is not set: it must hold 32 random bytes, base64 or hex (openssl rand -base64 32)");
  const text = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) throw new SecretKeyError(`HEADROOM_SECRET_KEY must decode to 32 bytes, got ${key.length}`);
  return key;
}

/** `v1.<nonce>.<tag>.<ciphertext>` (base64url): the plaintext sealed with the key, bound to `aad`. Strings are UTF-8. */
export function encryptSecret(plaintext: string, aad: string, key: Buffer): string {
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, nonce.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

/** The plaintext of a value encryptSecret sealed with this key and `aad`; a SecretKeyError for anything else. */
export function decryptSecret(sealed: string, aad: string, key: Buffer): string {
  const parts = sealed.split(".");
  // the ciphertext of an empty secret is empty: only the nonce and the tag must be there
  if (parts.length !== 4 || parts[0] !== VERSION || !parts[1] || !parts[2]) throw new SecretKeyError("stored secret is not in the v1 format");
  const [, nonce, tag, ct] = parts as [string, string, string, string];
  const iv = Buffer.from(nonce, "base64url");
  const authTag = Buffer.from(tag, "base64url");
  // a full 16-byte tag only: GCM would otherwise accept a truncated one
  if (iv.length !== 12 || authTag.length !== 16) throw new SecretKeyError("stored secret is malformed");
  try {
    // authTagLength repeats the check above (so a mutant dropping it survives): the decipher itself
    // must not accept a short tag should that check ever change
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(authTag);
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString();
  } catch {
    throw new SecretKeyError("stored secret does not decrypt with HEADROOM_SECRET_KEY (was the key changed?)");
  }
}

/** The key of this process, from the environment. */
export const secretKeyFromEnv = () => parseKey(process.env.HEADROOM_SECRET_KEY);

/** The key, or null when HEADROOM_SECRET_KEY is missing or malformed (pages then say stored credentials cannot be read). */
export function secretKeyOrNull(): Buffer | null {
  try {
    return secretKeyFromEnv();
  } catch {
    return null;
  }
}
