/**
 * The cloud account service as a Fastify app: helmet's headers, a per-IP rate limit on every
 * route (tighter ones on sign-up and login), bounded bodies (413 beyond), one-line JSON errors,
 * and request logs that carry method, route, status and timing only — never bodies, tokens,
 * emails or query strings.
 */
import crypto from "node:crypto";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import Fastify, { type FastifyInstance } from "fastify";
import { MAX_BODY_BYTES } from "../common/cloud/protocol.ts";
import { hashLoginSecret } from "./auth/hashing.ts";
import { AccessTokens } from "./auth/tokens.ts";
import { claims, DEFAULT_LIMITS, type CloudContext, type RateLimits } from "./context.ts";
import { accountRoutes } from "./routes/account.ts";
import { recordRoutes } from "./routes/records.ts";
import type { CloudStorage } from "./storage/storage.ts";

/** Options of {@link buildServer}. */
export interface ServerOptions {
  storage: CloudStorage;
  limits?: Partial<RateLimits>;
  /** Access-token lifetime in seconds (default 900). */
  accessTtlSeconds?: number;
  /** The clock (tests move it). */
  now?: () => number;
  /** Log one line per request to stderr. */
  log?: boolean;
  /** Trust X-Forwarded-For from a reverse proxy in front. */
  trustProxy?: boolean;
}

function errorStatus(err: { statusCode?: number; code?: string; validation?: unknown }): number {
  if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") return 413;
  if (err.validation) return 400;
  return err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
}

/** Builds the service (not yet listening). */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const now = options.now ?? Date.now;
  const secret = Buffer.from(await options.storage.metaValue("server-secret", () => crypto.randomBytes(32).toString("base64")), "base64");
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const ctx: CloudContext = {
    storage: options.storage,
    tokens: new AccessTokens(secret, options.accessTtlSeconds ?? 900, now),
    serverSecret: secret,
    dummyHash: await hashLoginSecret(crypto.randomBytes(32).toString("hex")),
    now,
    limits,
    refreshTtlMs: 30 * 24 * 3600_000,
    accountLimit: async () => true,
  };
  const app = Fastify({
    bodyLimit: MAX_BODY_BYTES,
    trustProxy: options.trustProxy ?? false,
    logger: false,
  });
  await app.register(helmet);
  await app.register(rateLimit, { global: true, max: ctx.limits.perIp, timeWindow: 60_000 });
  const perAccount = app.createRateLimit({ max: limits.perAccount, timeWindow: 60_000, keyGenerator: (req) => `account|${claims(req).accountId}` });
  ctx.accountLimit = async (req) => {
    const r = await perAccount(req);
    return r.isAllowed || !r.isExceeded;
  };
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown }, _req, reply) => {
    const status = errorStatus(err);
    const message = status === 413 ? "request body too large" : status === 500 ? "internal error" : err.message.split("\n")[0]!;
    if (status === 500) process.stderr.write(`cloud: internal error: ${err.name}\n`);
    return reply.code(status).send({ error: message });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: "not found" }));
  if (options.log) {
    app.addHook("onResponse", async (req, reply) => {
      process.stderr.write(`${JSON.stringify({ time: now(), method: req.method, route: req.routeOptions.url ?? "-", status: reply.statusCode, ms: Math.round(reply.elapsedTime) })}\n`);
    });
  }
  accountRoutes(app, ctx);
  recordRoutes(app, ctx);
  return app;
}
