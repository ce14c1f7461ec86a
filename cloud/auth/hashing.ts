/**
 * The service's own hashing: an Argon2id hash of each account's login secret (Node's built-in
 * `crypto.argon2`), the stable fake salt unknown emails get from the pre-login step, and the
 * SHA-256 under which refresh tokens are stored.
 */
import crypto from "node:crypto";
import { promisify } from "node:util";
import { toBase64Url } from "../../common/cloud/bytes.ts";

const argon2 = promisify(crypto.argon2);

/** Argon2id parameters of the stored login-secret hash (the secret itself is already high-entropy). */
const HASH_PARAMS = { memory: 19_456, passes: 2, parallelism: 1, tagLength: 32 };

async function argon2id(message: string, nonce: Buffer, p: typeof HASH_PARAMS): Promise<Buffer> {
  return argon2("argon2id", { message, nonce, memory: p.memory, passes: p.passes, parallelism: p.parallelism, tagLength: p.tagLength });
}

/** `$argon2id$v=19$m=…,t=…,p=…$salt$hash` of a login secret. */
export async function hashLoginSecret(secret: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const tag = await argon2id(secret, salt, HASH_PARAMS);
  return `$argon2id$v=19$m=${HASH_PARAMS.memory},t=${HASH_PARAMS.passes},p=${HASH_PARAMS.parallelism}$${salt.toString("base64url")}$${tag.toString("base64url")}`;
}

/** Whether `secret` matches an encoded hash; constant-time on the tag. */
export async function verifyLoginSecret(encoded: string, secret: string): Promise<boolean> {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(encoded);
  if (!m) return false;
  const want = Buffer.from(m[5]!, "base64url");
  const params = { memory: Number(m[1]), passes: Number(m[2]), parallelism: Number(m[3]), tagLength: want.length };
  const got = await argon2id(secret, Buffer.from(m[4]!, "base64url"), params);
  return crypto.timingSafeEqual(got, want);
}

/** The salt the pre-login step hands out for an email with no account: stable, unguessable without the secret. */
export function fakeSalt(serverSecret: Buffer, email: string): string {
  return toBase64Url(crypto.createHmac("sha256", serverSecret).update(`fake-salt\0${email}`).digest().subarray(0, 16));
}

/** What a refresh token is stored as. */
export function tokenHash(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** A new random opaque token or id. */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString("base64url");
}
