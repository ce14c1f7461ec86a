import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isAllowedHost, isAllowedOrigin, newToken, presentedToken, readCookie, tokenMatches } from "./security.ts";

describe("loopback security checks", () => {
  it("generates 256-bit hex tokens", () => {
    const t = newToken();
    expect(t).toMatch(/^[0-9a-f]{64}$/);
    expect(newToken()).not.toBe(t);
  });

  it("accepts only 127.0.0.1:PORT and localhost:PORT as Host", () => {
    expect(isAllowedHost("127.0.0.1:8080", 8080)).toBe(true);
    expect(isAllowedHost("LOCALHOST:8080", 8080)).toBe(true);
    expect(isAllowedHost("127.0.0.1:8081", 8080)).toBe(false);
    expect(isAllowedHost("evil.example:8080", 8080)).toBe(false);
    expect(isAllowedHost("127.0.0.1", 8080)).toBe(false);
    expect(isAllowedHost(undefined, 8080)).toBe(false);
  });

  it("accepts no Origin (non-browser) or this server's own origin only", () => {
    expect(isAllowedOrigin(undefined, 9)).toBe(true);
    expect(isAllowedOrigin("http://127.0.0.1:9", 9)).toBe(true);
    expect(isAllowedOrigin("http://localhost:9", 9)).toBe(true);
    expect(isAllowedOrigin("http://127.0.0.1:10", 9)).toBe(false);
    expect(isAllowedOrigin("https://evil.example", 9)).toBe(false);
    expect(isAllowedOrigin("null", 9)).toBe(false);
  });

  it("finds the token in a bearer header, custom header, cookie or query, in that order", () => {
    const url = new URL("http://127.0.0.1:1/?token=q");
    expect(presentedToken({ authorization: "Bearer h" }, url)).toEqual({ token: "h", source: "header" });
    expect(presentedToken({ "x-workstation-token": "x" }, url)).toEqual({ token: "x", source: "header" });
    expect(presentedToken({ cookie: "a=1; workstation_token=c" }, url)).toEqual({ token: "c", source: "cookie" });
    expect(presentedToken({}, url)).toEqual({ token: "q", source: "query" });
    expect(presentedToken({}, new URL("http://127.0.0.1:1/"))).toBeNull();
    expect(readCookie("a=1;b=2", "b")).toBe("2");
  });

  it("compares tokens exactly", () => {
    expect(tokenMatches("abc", "abc")).toBe(true);
    expect(tokenMatches("abd", "abc")).toBe(false);
    expect(tokenMatches("ab", "abc")).toBe(false);
  });

  it("allows no remote content in the CSP", () => {
    const csp = contentSecurityPolicy(5000);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:5000 ws://localhost:5000");
    expect(csp).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)/);
  });
});
