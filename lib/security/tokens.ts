import crypto from "node:crypto";

/** A bearer token for a link (setup, invite, share): 32 random bytes, base64url (43 characters). */
export const newToken = () => crypto.randomBytes(32).toString("base64url");

/** What is stored for a token: its SHA-256, hex. The token itself is shown once and never stored. */
export const hashToken = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

/** Whether a string has the shape newToken produces (43 base64url characters): anything else is not looked up. */
export const isTokenShaped = (s: string) => /^[A-Za-z0-9_-]{43}$/.test(s);
