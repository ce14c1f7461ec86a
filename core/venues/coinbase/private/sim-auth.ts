/**
 * The Coinbase private simulator's side of CDP JWT authentication: a token's header names its key
 * (`kid`), whose public key must verify the signature (ES256 as raw r‖s, or EdDSA); its claims
 * must be `iss: "cdp"`, `sub` = the key name, valid now (`nbf` ≤ now < `exp`, with 5 s of leeway),
 * and, for REST, `uri` = `"<METHOD> <host><path>"` of the request it came with.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { cdpPrivateKey } from "./jwt.ts";

/** A test key the simulator accepts. */
export interface CoinbaseSimKey {
  name: string;
  /** The CDP secret (PEM EC key or base64 Ed25519); the simulator keeps only its public half. */
  secret: string;
  canTransfer?: boolean;
}

/** Public keys by key name. */
export function publicKeys(keys: readonly CoinbaseSimKey[]): Map<string, KeyObject> {
  return new Map(keys.map((k) => [k.name, createPublicKey(cdpPrivateKey(k.secret).key)]));
}

function decode(part: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Why `jwt` is refused (one line), or null with the key name when it is accepted. */
export function checkJwt(jwt: string, keys: ReadonlyMap<string, KeyObject>, uri: string | null, nowS: number): { refused: string } | { keyName: string } {
  const parts = jwt.split(".");
  const header = parts.length === 3 ? decode(parts[0]!) : null;
  const claims = parts.length === 3 ? decode(parts[1]!) : null;
  if (!header || !claims) return { refused: "malformed jwt" };
  const name = String(header.kid ?? "");
  const key = keys.get(name);
  if (!key) return { refused: "unknown api key" };
  const input = Buffer.from(`${parts[0]!}.${parts[1]!}`);
  const signature = Buffer.from(parts[2]!, "base64url");
  const ok = header.alg === "ES256" ? verify("sha256", input, { key, dsaEncoding: "ieee-p1363" }, signature) : header.alg === "EdDSA" ? verify(null, input, key, signature) : false;
  if (!ok) return { refused: "invalid signature" };
  if (claims.iss !== "cdp" || claims.sub !== name) return { refused: "invalid claims" };
  if (typeof claims.nbf !== "number" || typeof claims.exp !== "number" || claims.nbf > nowS + 5 || claims.exp <= nowS - 5) return { refused: "jwt expired or not yet valid" };
  if (uri !== null && claims.uri !== uri) return { refused: `jwt uri "${String(claims.uri)}" is not "${uri}"` };
  return { keyName: name };
}
