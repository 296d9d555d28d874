import { describe, expect, it } from "vitest";
import { safeReturnPath, signInErrorMessage } from "@/lib/auth/sign-in-errors";
import { OrgUsageError, parseFlags, publicUrl } from "@/lib/cli/org";
import { BodyError, readJson } from "@/lib/http/read-json";
import { replaceNames } from "@/lib/share/snapshot";

describe("the return path after sign-in", () => {
  it.each([
    ["/acme/incidents?status=open", "/acme/incidents?status=open"],
    ["/acme#x", "/acme#x"],
    ["https://evil.example/acme", "/"],
    ["//evil.example/acme", "/"],
    ["/\\evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["acme", "/"],
    ["", "/"],
    [undefined, "/"],
  ])("%s → %s", (raw, out) => expect(safeReturnPath(raw)).toBe(out));
  it("every refusal has a sentence, unknown codes a generic one", () => {
    expect(signInErrorMessage("sso-domain")).toMatch(/not in a domain/);
    expect(signInErrorMessage("whatever")).toBe("The sign-in did not succeed. Try again.");
  });
});

describe("redaction of a shared snapshot", () => {
  it("replaces whole Kubernetes names only, in every string", () => {
    const v = { cmd: "kubectl -n payments set resources deployment/payments-api", nested: ["payments", "payments-v2", "x payments."], n: 3 };
    expect(replaceNames(v, [["payments", "namespace-a"]])).toEqual({ cmd: "kubectl -n namespace-a set resources deployment/payments-api", nested: ["namespace-a", "payments-v2", "x namespace-a."], n: 3 });
  });
});

describe("request bodies", () => {
  const req = (body: string) => new Request("http://x/", { method: "POST", body });
  it("parses JSON and refuses what is not, a NUL anywhere, and more than the cap", async () => {
    expect(await readJson(req('{"a":1}'))).toEqual({ a: 1 });
    expect(await readJson(req(""))).toEqual({});
    await expect(readJson(req("{a:"))).rejects.toMatchObject({ status: 400, message: "request body is not JSON" });
    await expect(readJson(req('{"a":"x\\u0000"}'))).rejects.toMatchObject({ status: 400 });
    await expect(readJson(req(`{"a":"${"x".repeat(100)}"}`), 50)).rejects.toBeInstanceOf(BodyError);
    await expect(readJson(req(`{"a":"${"x".repeat(100)}"}`), 50)).rejects.toMatchObject({ status: 413 });
  });
});

describe("npm run org's command line", () => {
  it("reads --flag value and --flag=value, and refuses unknown or empty flags", () => {
    expect(parseFlags(["--slug", "globex", "--name=Globex Inc"], ["slug", "name"])).toEqual({ slug: "globex", name: "Globex Inc" });
    expect(() => parseFlags(["--evil", "x"], ["slug"])).toThrow(OrgUsageError);
    expect(() => parseFlags(["--slug"], ["slug"])).toThrow(/needs a value/);
    expect(() => parseFlags(["--slug", "--name"], ["slug", "name"])).toThrow(/needs a value/);
  });
  it("prints links on NEXTAUTH_URL, else on the local port", () => {
    expect(publicUrl({ NEXTAUTH_URL: "https://headroom.example.com/" })).toBe("https://headroom.example.com");
    expect(publicUrl({ PORT: "3100" })).toBe("http://127.0.0.1:3100");
    expect(() => publicUrl({ NEXTAUTH_URL: "ftp://x" })).toThrow(OrgUsageError);
  });
});

describe("the server log", () => {
  it("names a database error without the query's parameters", async () => {
    const { describeForLog } = await import("@/lib/http/errors");
    const e = new Error('Failed query: insert into "share_links" ("token_hash") values ($1)\nparams: 9f86d081884c7d659a2feaa0c55ad015', { cause: Object.assign(new Error("duplicate key"), { code: "23505" }) });
    const line = describeForLog(e);
    expect(line).toContain("Failed query: insert into");
    expect(line).toContain("23505");
    expect(line).not.toContain("9f86d081884c7d659a2feaa0c55ad015");
  });
});
