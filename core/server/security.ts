/**
 * Request checks of the loopback server, as pure functions: the Host header (against DNS
 * rebinding), the Origin of browser requests (against cross-site pages), and the per-launch token
 * (header, cookie or query parameter), compared in constant time.
 */
import crypto from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** The path that answers `{ instanceId }` without the token: nothing secret, only which core listens here. */
export const INSTANCE_PATH = "/api/instance";

/** Name of the HttpOnly cookie that carries the token for the page's assets and WebSocket. */
export const TOKEN_COOKIE = "workstation_token";

/** A new 256-bit token as 64 hex characters. */
export function newToken(): string {
  return crypto.randomBytes(32).toString("hex");
}

/** True for `127.0.0.1:PORT` and `localhost:PORT` exactly. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

/** A request without Origin (CLI, tests) passes; a browser's Origin must be this server's own. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  const o = origin.toLowerCase();
  return o === `http://127.0.0.1:${port}` || o === `http://localhost:${port}`;
}

/** Reads a cookie value from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Where a presented token came from; a query token on a page load is exchanged for the cookie. */
export type TokenSource = "header" | "cookie" | "query";

/** Finds the token a request presents: `Authorization: Bearer`, `X-Workstation-Token`, cookie, or `?token=`. */
export function presentedToken(headers: IncomingHttpHeaders, url: URL): { token: string; source: TokenSource } | null {
  const auth = headers.authorization;
  if (typeof auth === "string" && auth.startsWith("Bearer ")) return { token: auth.slice(7).trim(), source: "header" };
  const custom = headers["x-workstation-token"];
  if (typeof custom === "string") return { token: custom.trim(), source: "header" };
  const cookie = readCookie(headers.cookie, TOKEN_COOKIE);
  if (cookie) return { token: cookie, source: "cookie" };
  const query = url.searchParams.get("token");
  if (query) return { token: query, source: "query" };
  return null;
}

/** Constant-time token comparison. */
export function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The Content-Security-Policy of the UI: nothing remote, WebSocket only back to this server. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join("; ");
}
