/**
 * Account routes: sign-up, pre-login, login, token refresh, logout, password change, recovery
 * with the recovery key (a new password; every device signed out), devices and account deletion. Pre-login and login answer an unknown email exactly like a wrong password
 * (a stable fake salt; a real Argon2id check against a dummy hash), so neither reveals accounts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  DEFAULT_KDF,
  type LoginRequest,
  type PasswordChangeRequest,
  type RecoverKeysRequest,
  type RecoverRequest,
  type SessionResponse,
  type SignupRequest,
  type WrappedKeys,
} from "../../common/cloud/protocol.ts";
import { fakeSalt, hashLoginSecret, randomToken, tokenHash, verifyLoginSecret } from "../auth/hashing.ts";
import { authenticate, claims, fail, normalizeEmail, type CloudContext } from "../context.ts";
import { DuplicateEmailError, type AccountRow } from "../storage/storage.ts";
import { schemas } from "./schemas.ts";

const WRONG_LOGIN = "wrong email or password";

async function issueSession(ctx: CloudContext, accountId: string, deviceId: string): Promise<{ accessToken: string; refreshToken: string; expiresIn: number }> {
  const refreshToken = randomToken();
  await ctx.storage.addRefreshToken(tokenHash(refreshToken), deviceId, ctx.now() + ctx.refreshTtlMs);
  return { accessToken: await ctx.tokens.issue({ accountId, deviceId }), refreshToken, expiresIn: ctx.tokens.ttlSeconds };
}

async function newDeviceSession(ctx: CloudContext, account: AccountRow, deviceName: string): Promise<SessionResponse> {
  const deviceId = randomToken(12);
  await ctx.storage.createDevice(account.id, deviceId, deviceName, ctx.now());
  return { ...(await issueSession(ctx, account.id, deviceId)), accountId: account.id, deviceId, wrappedKeys: account.wrappedKeys };
}

/** The account for `email` when `secret` is its login (or recovery) secret; the same work and answer otherwise. */
async function checkLogin(ctx: CloudContext, email: string, secret: string, which: "authHash" | "recoveryHash" = "authHash"): Promise<AccountRow | null> {
  const account = await ctx.storage.accountByEmail(normalizeEmail(email));
  const ok = await verifyLoginSecret(account?.[which] ?? ctx.dummyHash, secret);
  return account && ok ? account : null;
}

const WRONG_RECOVERY = "wrong email or recovery key";

function recoveryRoutes(app: FastifyInstance, ctx: CloudContext, perPair: ReturnType<typeof loginLimiter>): void {
  app.post<{ Body: RecoverKeysRequest }>("/v1/recover/keys", { schema: { body: schemas.recoverKeys }, preHandler: perPair }, async (req, reply) => {
    const account = await checkLogin(ctx, req.body.email, req.body.recoverySecret, "recoveryHash");
    if (!account) return fail(reply, 401, WRONG_RECOVERY);
    return { keyId: account.wrappedKeys.keyId, byRecovery: account.wrappedKeys.byRecovery };
  });

  app.post<{ Body: RecoverRequest }>("/v1/recover", { schema: { body: schemas.recover }, preHandler: perPair }, async (req, reply) => {
    const b = req.body;
    const account = await checkLogin(ctx, b.email, b.recoverySecret, "recoveryHash");
    if (!account) return fail(reply, 401, WRONG_RECOVERY);
    const wrappedKeys: WrappedKeys = { ...account.wrappedKeys, byPassword: b.byPassword };
    await ctx.storage.updatePassword(account.id, { salt: b.newSalt, kdf: b.kdf, authHash: await hashLoginSecret(b.newLoginSecret), wrappedKeys });
    await ctx.storage.revokeAllDevices(account.id, ctx.now());
    return newDeviceSession(ctx, { ...account, wrappedKeys }, b.deviceName);
  });
}

function loginLimiter(app: FastifyInstance, ctx: CloudContext) {
  const limit = app.createRateLimit({
    max: ctx.limits.loginPerIpAndAccount,
    timeWindow: 60_000,
    // Keyed on the pair: someone else's failed attempts from another address cannot lock this one out.
    keyGenerator: (req: FastifyRequest) => `${req.ip}|${normalizeEmail(String((req.body as { email?: unknown } | undefined)?.email ?? ""))}`,
  });
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const res = await limit(req);
    if (!res.isAllowed && res.isExceeded) await fail(reply.header("retry-after", Math.ceil(res.ttlInSeconds)), 429, "too many attempts; try again in a minute");
  };
}

/** Registers the account routes. */
export function accountRoutes(app: FastifyInstance, ctx: CloudContext): void {
  const perPair = loginLimiter(app, ctx);
  sessionRoutes(app, ctx, perPair);
  recoveryRoutes(app, ctx, perPair);
  manageRoutes(app, ctx, perPair);
}

/** Sign-up, pre-login, login and token refresh. */
function sessionRoutes(app: FastifyInstance, ctx: CloudContext, perPair: ReturnType<typeof loginLimiter>): void {
  const signupLimit = { rateLimit: { max: ctx.limits.signupPerIp, timeWindow: 60_000 } };

  app.post<{ Body: SignupRequest }>("/v1/signup", { schema: { body: schemas.signup }, config: signupLimit }, async (req, reply) => {
    const b = req.body;
    const account: AccountRow = {
      id: randomToken(16), email: normalizeEmail(b.email), salt: b.salt, kdf: b.kdf, authHash: await hashLoginSecret(b.loginSecret),
      recoveryHash: await hashLoginSecret(b.recoverySecret), wrappedKeys: b.wrappedKeys, createdAt: ctx.now(),
    };
    try {
      await ctx.storage.createAccount(account);
    } catch (err) {
      if (err instanceof DuplicateEmailError) return fail(reply, 409, "an account with this email already exists");
      throw err;
    }
    return reply.code(201).send(await newDeviceSession(ctx, account, b.deviceName));
  });

  app.post<{ Body: { email: string } }>("/v1/prelogin", { schema: { body: schemas.prelogin }, config: signupLimit }, async (req) => {
    const email = normalizeEmail(req.body.email);
    const account = await ctx.storage.accountByEmail(email);
    return account ? { salt: account.salt, kdf: account.kdf } : { salt: fakeSalt(ctx.serverSecret, email), kdf: DEFAULT_KDF };
  });

  app.post<{ Body: LoginRequest }>("/v1/login", { schema: { body: schemas.login }, preHandler: perPair }, async (req, reply) => {
    const account = await checkLogin(ctx, req.body.email, req.body.loginSecret);
    if (!account) return fail(reply, 401, WRONG_LOGIN);
    return newDeviceSession(ctx, account, req.body.deviceName);
  });

  app.post<{ Body: { refreshToken: string } }>("/v1/token", { schema: { body: schemas.refresh } }, async (req, reply) => {
    const use = await ctx.storage.useRefreshToken(tokenHash(req.body.refreshToken), ctx.now());
    if (use.status === "reused") return fail(reply, 401, "refresh token already used: this device's session is revoked; log in again");
    if (use.status === "invalid") return fail(reply, 401, "invalid or expired refresh token");
    return issueSession(ctx, use.accountId, use.deviceId);
  });
}

/** What a signed-in device may do: who am I, log out, change the password, devices, delete the account. */
function manageRoutes(app: FastifyInstance, ctx: CloudContext, perPair: ReturnType<typeof loginLimiter>): void {
  const auth = authenticate(ctx);
  app.get("/v1/account", { preHandler: auth }, async (req, reply) => {
    const c = claims(req);
    const account = await ctx.storage.accountById(c.accountId);
    if (!account) return fail(reply, 401, "invalid or expired access token");
    return { accountId: c.accountId, deviceId: c.deviceId, email: account.email, salt: account.salt, kdf: account.kdf, wrappedKeys: account.wrappedKeys };
  });

  app.post("/v1/logout", { preHandler: auth }, async (req, reply) => {
    const c = claims(req);
    await ctx.storage.revokeDevice(c.accountId, c.deviceId, ctx.now());
    return reply.code(204).send();
  });

  app.post<{ Body: PasswordChangeRequest }>("/v1/password", { schema: { body: schemas.password }, preHandler: [auth, perPair] }, async (req, reply) => {
    const c = claims(req);
    const account = await ctx.storage.accountById(c.accountId);
    if (!account || !(await verifyLoginSecret(account.authHash, req.body.loginSecret))) return fail(reply, 401, WRONG_LOGIN);
    const wrappedKeys: WrappedKeys = { ...account.wrappedKeys, byPassword: req.body.byPassword };
    await ctx.storage.updatePassword(c.accountId, { salt: req.body.newSalt, kdf: req.body.kdf, authHash: await hashLoginSecret(req.body.newLoginSecret), wrappedKeys });
    return reply.code(204).send();
  });

  app.get("/v1/devices", { preHandler: auth }, async (req) => {
    const c = claims(req);
    return (await ctx.storage.listDevices(c.accountId)).map((d) => ({ ...d, current: d.id === c.deviceId }));
  });

  app.delete<{ Params: { id: string } }>("/v1/devices/:id", { preHandler: auth }, async (req, reply) => {
    const c = claims(req);
    if (!(await ctx.storage.revokeDevice(c.accountId, req.params.id, ctx.now()))) return fail(reply, 404, "no such device");
    return reply.code(204).send();
  });

  app.delete<{ Body: { loginSecret: string } }>("/v1/account", { schema: { body: schemas.deleteAccount }, preHandler: [auth, perPair] }, async (req, reply) => {
    const c = claims(req);
    const account = await ctx.storage.accountById(c.accountId);
    if (!account || !(await verifyLoginSecret(account.authHash, req.body.loginSecret))) return fail(reply, 401, WRONG_LOGIN);
    await ctx.storage.deleteAccount(c.accountId);
    return reply.code(204).send();
  });
}
