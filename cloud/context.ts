/** What every route of the service shares: storage, token issuer, the server secret, clock and limits. */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AccessClaims, AccessTokens } from "./auth/tokens.ts";
import type { CloudStorage } from "./storage/storage.ts";

/** Request limits per window; tests lower them. */
export interface RateLimits {
  /** Requests per minute from one IP address, any route. */
  perIp: number;
  /** Sign-ups and pre-logins per minute from one IP address. */
  signupPerIp: number;
  /** Logins and password checks per minute for one (IP address, account) pair. */
  loginPerIpAndAccount: number;
  /** Authenticated requests per minute for one account (counted only with its valid tokens). */
  perAccount: number;
}

/** The default limits. */
export const DEFAULT_LIMITS: RateLimits = { perIp: 600, signupPerIp: 20, loginPerIpAndAccount: 10, perAccount: 1200 };

/** Shared route state. */
export interface CloudContext {
  storage: CloudStorage;
  tokens: AccessTokens;
  serverSecret: Buffer;
  /** A real Argon2id hash checked for unknown accounts, so a login costs the same either way. */
  dummyHash: string;
  now: () => number;
  limits: RateLimits;
  refreshTtlMs: number;
  /** Counts one authenticated request of an account; false when it is over its limit. */
  accountLimit: (req: FastifyRequest) => Promise<boolean>;
}

/** A one-line JSON error reply. */
export function fail(reply: FastifyReply, status: number, error: string): FastifyReply {
  return reply.code(status).send({ error });
}

const claimsOf = new WeakMap<FastifyRequest, AccessClaims>();

/** A preHandler that admits only a valid access token of a signed-in device. */
export function authenticate(ctx: CloudContext) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = req.headers.authorization ?? "";
    const claims = header.startsWith("Bearer ") ? await ctx.tokens.verify(header.slice(7)) : null;
    if (!claims || !(await ctx.storage.deviceActive(claims.accountId, claims.deviceId, ctx.now()))) {
      await fail(reply, 401, "invalid or expired access token");
      return;
    }
    claimsOf.set(req, claims);
    if (!(await ctx.accountLimit(req))) await fail(reply, 429, "too many requests for this account; try again in a minute");
  };
}

/** The claims `authenticate` admitted. */
export function claims(req: FastifyRequest): AccessClaims {
  const c = claimsOf.get(req);
  if (!c) throw new Error("route is missing its authenticate preHandler");
  return c;
}

/** Lowercased, trimmed email (how accounts are keyed). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
