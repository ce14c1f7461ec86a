/**
 * Coinbase Advanced Trade (CDP key) request authentication: a JWT per request, `Authorization:
 * Bearer <jwt>`. Header `{"alg","kid","nonce","typ":"JWT"}` (`kid` the key name, `nonce` 16 random
 * bytes in hex); claims `{"iss":"cdp","sub","nbf","exp","uri"}` with `exp` = `nbf` + 120 s and `uri` =
 * `"<METHOD> <host><path>"` (omitted for the WebSocket `user` channel's JWT). ES256 keys (a PEM EC
 * private key) sign ECDSA P-256/SHA-256 as raw r‖s; Ed25519 keys (base64 of the 32-byte seed and
 * the 32-byte public key) sign EdDSA. The first piece of the Coinbase execution adapter.
 */
import { createPrivateKey, randomBytes, sign, type KeyObject } from "node:crypto";

/** A CDP API key: its name and its secret (PEM EC key, or base64 Ed25519 seed + public key). */
export interface CdpKey {
  name: string;
  secret: string;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

/** The private key of a CDP secret and its JWT `alg`. */
export function cdpPrivateKey(secret: string): { key: KeyObject; alg: "ES256" | "EdDSA" } {
  if (secret.includes("-----BEGIN")) return { key: createPrivateKey(secret.replace(/\\n/g, "\n")), alg: "ES256" };
  const raw = Buffer.from(secret, "base64");
  if (raw.length !== 64 && raw.length !== 32) throw new RangeError("a CDP Ed25519 secret is base64 of 64 bytes (seed and public key)");
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), raw.subarray(0, 32)]);
  return { key: createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }), alg: "EdDSA" };
}

/** A signed JWT for one request (`method`, `host`, `path`), or for the WebSocket when they are null; `nowS` in seconds. */
export function cdpJwt(key: CdpKey, request: { method: string; host: string; path: string } | null, nowS: number, nonce = randomBytes(16).toString("hex")): string {
  const { key: pk, alg } = cdpPrivateKey(key.secret);
  const header = { alg, kid: key.name, nonce, typ: "JWT" };
  const claims = { iss: "cdp", sub: key.name, nbf: nowS, exp: nowS + 120, ...(request ? { uri: `${request.method} ${request.host}${request.path}` } : {}) };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = alg === "ES256" ? sign("sha256", Buffer.from(input), { key: pk, dsaEncoding: "ieee-p1363" }) : sign(null, Buffer.from(input), pk);
  return `${input}.${b64url(signature)}`;
}
