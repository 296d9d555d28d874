import { describe, expect, it } from "vitest";
import { redactError } from "@/lib/jobs/redact";

describe("a job's error as admins see it", () => {
  it("masks credentials in URLs, query strings, tokens and key=value secrets", () => {
    expect(redactError("GET https://u:p@h/x?api_key=1 failed")).toBe("GET https://***@h/x?… failed");
    expect(redactError("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc")).toBe("Authorization: Bearer ***");
    expect(redactError("basic dXNlcjpwYXNz rejected")).toBe("basic *** rejected");
    expect(redactError("password=swordfish; host=db")).toBe("password=***; host=db");
    expect(redactError('{"token": "t0ps3cret"}')).toBe('{"token": "***"}');
  });

  it("keeps what explains the failure", () => {
    expect(redactError("/api/v1/query: connection refused (is Prometheus running at this address?)")).toBe("/api/v1/query: connection refused (is Prometheus running at this address?)");
    expect(redactError("http://prom.internal:9090/api/v1/query timed out")).toBe("http://prom.internal:9090/api/v1/query timed out");
  });

  it("is capped at 500 characters", () => {
    expect(redactError("x".repeat(500))).toBe("x".repeat(500));
    expect(redactError("x".repeat(501))).toBe(`${"x".repeat(499)}…`);
  });
});
