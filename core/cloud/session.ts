/**
 * The desktop side of a cloud account: sign-up (data key + recovery key made here, wrapped), login,
 * recovery with the recovery key,
 * authorized requests with rotating refresh tokens (a 401 re-authenticates once), the data key on
 * demand, password change (re-wraps the data key only), logout and account deletion.
 */
import os from "node:os";
import { fromBase64Url, randomBytes, toBase64Url, toHex } from "../../common/cloud/bytes.ts";
import { formatRecoveryKey, hkdf, newKey, parseRecoveryKey, unwrapKey, WrongKeyError, wrapKey } from "../../common/cloud/crypto.ts";
import { DEFAULT_KDF, type KdfParams, type PreloginResponse, type SessionResponse, type TokenPair, type WrappedKeys } from "../../common/cloud/protocol.ts";
import type { KeychainBackend } from "../secrets/keychain.ts";
import { cloudKeychain, readKeychainSession, sessionAccount } from "./credentials.ts";
import { CloudHttpError, cloudRequest, type WireCounter } from "./http.ts";
import { deriveKeys, PASSWORD_WRAP, RECOVERY_WRAP } from "./kdf.ts";
import { clearAccount, readAccount, updateAccount, writeAccount, type LocalAccount } from "./local-account.ts";
import { passwordProblem } from "./password-policy.ts";
import type Database from "better-sqlite3";

/** What the account functions need. */
export interface CloudDeps {
  db: Database.Database;
  env: NodeJS.ProcessEnv;
  /** Asks for the password (WORKSTATION_PASSWORD or a prompt). */
  password: (prompt: string) => Promise<string>;
  /** A keychain to use instead of probing the OS one (tests). */
  keychain?: KeychainBackend | null;
  counter?: WireCounter;
}

/** Not signed in on this device. */
export class NotLoggedInError extends Error {
  override name = "NotLoggedInError";
}

const keychainOf = (deps: CloudDeps): Promise<KeychainBackend | null> => (deps.keychain !== undefined ? Promise.resolve(deps.keychain) : cloudKeychain(deps.env));

const deviceName = (): string => os.hostname().slice(0, 64) || "desktop";

function normalizeServer(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new Error(`--server must be a URL such as https://sync.example.org (got ${JSON.stringify(server)})`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("--server must be an http(s) URL");
  return url.origin;
}

async function storeSession(deps: CloudDeps, base: Omit<LocalAccount, "keychain" | "refreshToken" | "cursor" | "clock" | "syncEnabled" | "lastSyncAt" | "lastConflicts">, refreshToken: string, dataKey: Uint8Array): Promise<void> {
  await forgetKeychainEntry(deps);
  const kc = await keychainOf(deps);
  if (kc) await kc.set(sessionAccount(base.accountId, base.deviceId), JSON.stringify({ refreshToken, dataKey: toBase64Url(dataKey) }));
  writeAccount(deps.db, { ...base, keychain: kc !== null, refreshToken: kc ? null : refreshToken, cursor: 0, clock: "", syncEnabled: false, lastSyncAt: null, lastConflicts: 0 });
}

async function forgetKeychainEntry(deps: CloudDeps): Promise<void> {
  const old = readAccount(deps.db);
  if (!old?.keychain) return;
  const kc = await keychainOf(deps);
  await kc?.delete(sessionAccount(old.accountId, old.deviceId)).catch(() => false);
}

/** Creates an account and signs this device in; returns the recovery key (shown once). */
export async function signup(deps: CloudDeps, server: string, email: string): Promise<string> {
  const origin = normalizeServer(server);
  const password = await deps.password("New password: ");
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);
  const salt = toBase64Url(randomBytes(16));
  const { loginSecret, kek } = await deriveKeys(password, salt, DEFAULT_KDF);
  const dataKey = newKey();
  const recovery = newKey();
  const keyId = toHex(randomBytes(8));
  const wrappedKeys = { keyId, byPassword: await wrapKey(dataKey, kek, PASSWORD_WRAP), byRecovery: await wrapKey(dataKey, await hkdf(recovery, "recovery"), RECOVERY_WRAP) };
  const recoverySecret = toHex(await hkdf(recovery, "recovery-login"));
  const res = await cloudRequest<SessionResponse>(origin, "POST", "/v1/signup", { body: { email, salt, kdf: DEFAULT_KDF, loginSecret, recoverySecret, wrappedKeys, deviceName: deviceName() } });
  await storeSession(deps, { server: origin, email, accountId: res.accountId, deviceId: res.deviceId, salt, kdf: DEFAULT_KDF, keyId, wrappedKey: wrappedKeys.byPassword }, res.refreshToken, dataKey);
  return formatRecoveryKey(recovery);
}

/** Signs this device in to an existing account. */
export async function login(deps: CloudDeps, server: string, email: string): Promise<void> {
  const origin = normalizeServer(server);
  const pre = await cloudRequest<PreloginResponse>(origin, "POST", "/v1/prelogin", { body: { email } });
  const password = await deps.password("Password: ");
  const { loginSecret, kek } = await deriveKeys(password, pre.salt, pre.kdf);
  const res = await cloudRequest<SessionResponse>(origin, "POST", "/v1/login", { body: { email, loginSecret, deviceName: deviceName() } });
  const dataKey = await unwrapKey(res.wrappedKeys.byPassword, kek, PASSWORD_WRAP);
  await storeSession(deps, { server: origin, email, accountId: res.accountId, deviceId: res.deviceId, salt: pre.salt, kdf: pre.kdf, keyId: res.wrappedKeys.keyId, wrappedKey: res.wrappedKeys.byPassword }, res.refreshToken, dataKey);
}

/**
 * Sets a new password with the recovery key (after a forgotten password) and signs this device in;
 * the service signs every other device out. Throws when the recovery key is wrong.
 */
export async function recover(deps: CloudDeps, server: string, email: string, recoveryKey: string, newPassword: string): Promise<void> {
  const origin = normalizeServer(server);
  const problem = passwordProblem(newPassword);
  if (problem) throw new Error(problem);
  const recovery = parseRecoveryKey(recoveryKey);
  const recoverySecret = toHex(await hkdf(recovery, "recovery-login"));
  const keys = await cloudRequest<{ keyId: string; byRecovery: string }>(origin, "POST", "/v1/recover/keys", { body: { email, recoverySecret } });
  const dataKey = await unwrapKey(keys.byRecovery, await hkdf(recovery, "recovery"), RECOVERY_WRAP);
  const salt = toBase64Url(randomBytes(16));
  const next = await deriveKeys(newPassword, salt, DEFAULT_KDF);
  const byPassword = await wrapKey(dataKey, next.kek, PASSWORD_WRAP);
  const body = { email, recoverySecret, newSalt: salt, kdf: DEFAULT_KDF, newLoginSecret: next.loginSecret, byPassword, deviceName: deviceName() };
  const res = await cloudRequest<SessionResponse>(origin, "POST", "/v1/recover", { body });
  await storeSession(deps, { server: origin, email, accountId: res.accountId, deviceId: res.deviceId, salt, kdf: DEFAULT_KDF, keyId: keys.keyId, wrappedKey: byPassword }, res.refreshToken, dataKey);
}

/** An authorized connection to the account's service. */
export class CloudSession {
  readonly account: LocalAccount;
  private readonly deps: CloudDeps;
  private readonly kc: KeychainBackend | null;
  private accessToken: string | null = null;
  private key: Uint8Array<ArrayBuffer> | null = null;

  private constructor(deps: CloudDeps, account: LocalAccount, kc: KeychainBackend | null) {
    this.deps = deps;
    this.account = account;
    this.kc = kc;
  }

  /** The session of the signed-in account; throws {@link NotLoggedInError} when there is none. */
  static async open(deps: CloudDeps): Promise<CloudSession> {
    const account = readAccount(deps.db);
    if (!account) throw new NotLoggedInError("not logged in: run workstation account login --server URL --email E");
    return new CloudSession(deps, account, account.keychain ? await keychainOf(deps) : null);
  }

  private get entryName(): string {
    return sessionAccount(this.account.accountId, this.account.deviceId);
  }

  private async refreshToken(): Promise<string> {
    const token = this.kc ? (await readKeychainSession(this.kc, this.entryName))?.refreshToken : this.account.refreshToken;
    if (!token) throw new NotLoggedInError("this device's session is gone: log in again (workstation account login)");
    return token;
  }

  private async saveRefreshToken(token: string): Promise<void> {
    if (this.kc) await this.kc.set(this.entryName, JSON.stringify({ refreshToken: token, dataKey: toBase64Url(await this.dataKey()) }));
    else updateAccount(this.deps.db, { refreshToken: token });
  }

  private async authenticate(): Promise<string> {
    let pair: TokenPair;
    try {
      pair = await cloudRequest<TokenPair>(this.account.server, "POST", "/v1/token", { body: { refreshToken: await this.refreshToken() }, ...this.counter() });
    } catch (err) {
      if (err instanceof CloudHttpError && err.status === 401) throw new NotLoggedInError(`${err.message} (workstation account login to sign in again)`);
      throw err;
    }
    await this.saveRefreshToken(pair.refreshToken);
    this.accessToken = pair.accessToken;
    return pair.accessToken;
  }

  private counter(): { counter?: WireCounter } {
    return this.deps.counter ? { counter: this.deps.counter } : {};
  }

  /** An authorized request; an expired access token is renewed once. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = this.accessToken ?? (await this.authenticate());
    try {
      return await cloudRequest<T>(this.account.server, method, path, { body, token, ...this.counter() });
    } catch (err) {
      if (!(err instanceof CloudHttpError) || err.status !== 401) throw err;
      return cloudRequest<T>(this.account.server, method, path, { body, token: await this.authenticate(), ...this.counter() });
    }
  }

  /** The data key: from the keychain, else unwrapped with the password (refused when it is wrong). */
  async dataKey(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.key) return this.key;
    const entry = this.kc ? await readKeychainSession(this.kc, this.entryName) : null;
    if (entry) this.key = fromBase64Url(entry.dataKey);
    else {
      await this.followPasswordChange();
      const { kek } = await deriveKeys(await this.deps.password("Password: "), this.account.salt, this.account.kdf);
      try {
        this.key = await unwrapKey(this.account.wrappedKey, kek, PASSWORD_WRAP);
      } catch (err) {
        throw err instanceof WrongKeyError ? new WrongKeyError("wrong password: nothing was synced") : err;
      }
    }
    return this.key;
  }

  /** Takes the current password wrap from the service, so a password changed on another device applies here too. */
  private async followPasswordChange(): Promise<void> {
    const current = await this.request<{ salt: string; kdf: KdfParams; wrappedKeys: WrappedKeys }>("GET", "/v1/account");
    if (current.salt === this.account.salt && current.wrappedKeys.byPassword === this.account.wrappedKey) return;
    updateAccount(this.deps.db, { salt: current.salt, kdf: current.kdf, wrappedKey: current.wrappedKeys.byPassword });
    Object.assign(this.account, { salt: current.salt, kdf: current.kdf, wrappedKey: current.wrappedKeys.byPassword });
  }

  /** Changes the password: the data key is re-wrapped, no record is re-encrypted. */
  async changePassword(newPassword: string): Promise<void> {
    const problem = passwordProblem(newPassword);
    if (problem) throw new Error(problem);
    const current = await deriveKeys(await this.deps.password("Current password: "), this.account.salt, this.account.kdf);
    const dataKey = await unwrapKey(this.account.wrappedKey, current.kek, PASSWORD_WRAP).catch(() => {
      throw new WrongKeyError("wrong password");
    });
    const salt = toBase64Url(randomBytes(16));
    const next = await deriveKeys(newPassword, salt, DEFAULT_KDF);
    const byPassword = await wrapKey(dataKey, next.kek, PASSWORD_WRAP);
    await this.request("POST", "/v1/password", { loginSecret: current.loginSecret, newLoginSecret: next.loginSecret, newSalt: salt, kdf: DEFAULT_KDF, byPassword });
    updateAccount(this.deps.db, { salt, kdf: DEFAULT_KDF, wrappedKey: byPassword });
  }

  /** Deletes the account and everything on the service (the password confirms it); local data stays. */
  async deleteAccount(): Promise<void> {
    const { loginSecret } = await deriveKeys(await this.deps.password("Password: "), this.account.salt, this.account.kdf);
    await this.request("DELETE", "/v1/account", { loginSecret });
    await forgetKeychainEntry(this.deps);
    clearAccount(this.deps.db);
  }

  /** Signs this device out on the service (best effort) and forgets it here. */
  async logout(): Promise<void> {
    await this.request("POST", "/v1/logout").catch(() => undefined);
    await forgetKeychainEntry(this.deps);
    clearAccount(this.deps.db);
  }
}
