import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, parseKey, SecretKeyError, secretKeyFromEnv } from "@/lib/security/secrets";

// keys are made inside each test: a throw while collecting would hide every test of the file
const keyOf = (byte: number) => Buffer.alloc(32, byte);
const AAD = "cluster:1:prometheus-auth";

/** The error a call throws (fails the test when it does not throw). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("did not throw");
}

/** A sealed value with one of its four dot-separated parts replaced. */
const withPart = (sealed: string, i: number, value: string) => sealed.split(".").map((p, j) => (j === i ? value : p)).join(".");

describe("secrets at rest (AES-256-GCM)", () => {
  it("round-trips, never stores the clear text, and uses a fresh nonce each time", () => {
    const key = keyOf(7);
    const a = encryptSecret("glpat-very-secret", AAD, key);
    const b = encryptSecret("glpat-very-secret", AAD, key);
    expect(a).not.toContain("very-secret");
    expect(a).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/); // 12-byte nonce, 16-byte tag, base64url
    expect(a).not.toBe(b);
    expect(decryptSecret(a, AAD, key)).toBe("glpat-very-secret");
  });

  it("round-trips UTF-8 text and an empty secret", () => {
    const key = keyOf(7);
    const text = "pässwörd ☃ 🔑";
    const sealed = encryptSecret(text, "cluster:é:prometheus-auth", key);
    expect(decryptSecret(sealed, "cluster:é:prometheus-auth", key)).toBe(text);
    // the same AAD read as another encoding is another AAD
    expect(() => decryptSecret(sealed, Buffer.from("cluster:é:prometheus-auth").toString("latin1"), key)).toThrow(/does not decrypt/);
    const empty = encryptSecret("", AAD, key);
    expect(empty.endsWith(".")).toBe(true);
    expect(decryptSecret(empty, AAD, key)).toBe("");
  });

  it("refuses a ciphertext moved to another row, a tampered one, and a wrong key", () => {
    const key = keyOf(7);
    const sealed = encryptSecret("token", AAD, key);
    const doesNotDecrypt = "stored secret does not decrypt with HEADROOM_SECRET_KEY (was the key changed?)";
    expect(() => decryptSecret(sealed, "cluster:2:prometheus-auth", key)).toThrow(doesNotDecrypt);
    expect(() => decryptSecret(sealed, "", key)).toThrow(doesNotDecrypt);
    expect(() => decryptSecret(withPart(sealed, 3, Buffer.from("tampered").toString("base64url")), AAD, key)).toThrow(doesNotDecrypt);
    const flipped = Buffer.from(sealed.split(".")[2]!, "base64url");
    flipped[0]! ^= 1;
    expect(() => decryptSecret(withPart(sealed, 2, flipped.toString("base64url")), AAD, key)).toThrow(doesNotDecrypt);
    expect(() => decryptSecret(sealed, AAD, parseKey("ab".repeat(32)))).toThrow(doesNotDecrypt);
    expect(thrown(() => decryptSecret(sealed, AAD, keyOf(8)))).toBeInstanceOf(SecretKeyError);
  });

  it("refuses a truncated tag or a nonce of the wrong size as malformed, before GCM could accept them", () => {
    const key = keyOf(7);
    const sealed = encryptSecret("token", AAD, key);
    const [, nonce, tag] = sealed.split(".") as [string, string, string, string];
    const bytes = (part: string, n: number) => Buffer.from(part, "base64url").subarray(0, n).toString("base64url");
    // GCM accepts 4- to 16-byte tags and nonces of any length: only the exact sizes are ours
    for (const bad of [withPart(sealed, 2, bytes(tag, 4)), withPart(sealed, 2, bytes(tag, 15)), withPart(sealed, 1, bytes(nonce, 8)), withPart(sealed, 1, Buffer.concat([Buffer.from(nonce, "base64url"), Buffer.alloc(4)]).toString("base64url"))]) {
      const e = thrown(() => decryptSecret(bad, AAD, key));
      expect(e).toBeInstanceOf(SecretKeyError);
      expect(e.message).toBe("stored secret is malformed");
    }
  });

  it("refuses anything but v1.<nonce>.<tag>.<ciphertext>", () => {
    const key = keyOf(7);
    const sealed = encryptSecret("token", AAD, key);
    const parts = sealed.split(".");
    for (const bad of [
      withPart(sealed, 0, "v2"), // a version this code does not know, even with a valid body
      withPart(sealed, 1, ""),
      withPart(sealed, 2, ""),
      parts.slice(0, 3).join("."), // no ciphertext part at all
      `${sealed}.extra`,
      "token", // a clear text where a sealed value belongs
      "",
    ]) {
      const e = thrown(() => decryptSecret(bad, AAD, key));
      expect(e, bad).toBeInstanceOf(SecretKeyError);
      expect(e.message, bad).toBe("stored secret is not in the v1 format");
    }
  });
});

describe("HEADROOM_SECRET_KEY", () => {
  const bytes = crypto.createHash("sha256").update("headroom").digest();

  it("is 64 hex digits (any case) or base64 of 32 bytes, spaces and a newline around allowed", () => {
    expect(parseKey(bytes.toString("hex"))).toEqual(bytes);
    expect(parseKey(bytes.toString("hex").toUpperCase())).toEqual(bytes);
    expect(parseKey(` ${bytes.toString("hex")}\n`)).toEqual(bytes);
    expect(parseKey(bytes.toString("base64"))).toEqual(bytes);
    expect(parseKey(`${bytes.toString("base64")}\n`)).toEqual(bytes);
  });

  it("explains a missing key and one of the wrong size, never half-reading a typo", () => {
    const notSet = "HEADROOM_SECRET_KEY is not set: it must hold 32 random bytes, base64 or hex (openssl rand -base64 32)";
    expect(thrown(() => parseKey(undefined))).toBeInstanceOf(SecretKeyError);
    expect(() => parseKey(undefined)).toThrow(notSet);
    expect(() => parseKey("")).toThrow(notSet);
    expect(() => parseKey("c2hvcnQ=")).toThrow("HEADROOM_SECRET_KEY must decode to 32 bytes, got 5");
    // a digit too many or too few is not hex: read as base64 it is the wrong size, not a truncated hex key
    expect(() => parseKey(`${bytes.toString("hex")}0`)).toThrow("HEADROOM_SECRET_KEY must decode to 32 bytes, got 48");
    expect(() => parseKey(`0${bytes.toString("hex")}`)).toThrow("HEADROOM_SECRET_KEY must decode to 32 bytes, got 48");
    expect(() => parseKey(bytes.toString("hex").slice(1))).toThrow("HEADROOM_SECRET_KEY must decode to 32 bytes, got 47");
    expect(() => parseKey(Buffer.alloc(33, 1).toString("base64"))).toThrow("HEADROOM_SECRET_KEY must decode to 32 bytes, got 33");
  });

  it("is read from the process environment", () => {
    const before = process.env.HEADROOM_SECRET_KEY;
    try {
      process.env.HEADROOM_SECRET_KEY = bytes.toString("base64");
      expect(secretKeyFromEnv()).toEqual(bytes);
      delete process.env.HEADROOM_SECRET_KEY;
      expect(() => secretKeyFromEnv()).toThrow(/^HEADROOM_SECRET_KEY is not set/);
    } finally {
      if (before === undefined) delete process.env.HEADROOM_SECRET_KEY;
      else process.env.HEADROOM_SECRET_KEY = before;
    }
  });
});
