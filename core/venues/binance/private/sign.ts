/**
 * Binance SIGNED request signing: the parameters (with `timestamp` and `recvWindow`) are joined as a
 * query string in the order given, and `signature` is HMAC-SHA256 of that exact text with the secret
 * key (lowercase hex), or Ed25519 over it with a PEM private key (base64). The signature goes last.
 */
import { createHmac, createPrivateKey, sign as edSign } from "node:crypto";

/** One request parameter; numbers are written as JavaScript prints them. */
export type ParamValue = string | number | boolean;

/** A key pair: HMAC (`secret` is the secret key) or Ed25519 (`secret` is a PKCS#8 PEM private key). */
export interface BinanceKey {
  apiKey: string;
  secret: string;
  kind: "hmac" | "ed25519";
}

/** The default `recvWindow` (ms) sent with every signed request. */
export const RECV_WINDOW_MS = 5000;

/** Joins parameters as `k=v&k=v` in the given order, values percent-encoded. */
export function queryString(params: ReadonlyArray<readonly [string, ParamValue]>): string {
  return params.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join("&");
}

/** HMAC-SHA256 of `payload` with `secret`, lowercase hex. */
export function hmacSignature(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(payload).digest("hex");
}

/** Ed25519 signature of `payload` with a PEM private key, base64. */
export function ed25519Signature(payload: string, privateKeyPem: string): string {
  return edSign(null, Buffer.from(payload), createPrivateKey(privateKeyPem)).toString("base64");
}

/** The signature of `payload` with `key`. */
export function signPayload(payload: string, key: BinanceKey): string {
  return key.kind === "hmac" ? hmacSignature(payload, key.secret) : ed25519Signature(payload, key.secret);
}

/** The full signed query: parameters, `recvWindow`, `timestamp`, then `signature` (encoded). */
export function signedQuery(params: ReadonlyArray<readonly [string, ParamValue]>, key: BinanceKey, timestamp: number, recvWindow = RECV_WINDOW_MS): string {
  const payload = queryString([...params, ["recvWindow", recvWindow], ["timestamp", timestamp]]);
  return `${payload}&signature=${encodeURIComponent(signPayload(payload, key))}`;
}

/** Splits a signed query into the signed payload and its signature; null without a trailing `signature`. */
export function splitSignature(query: string): { payload: string; signature: string } | null {
  const at = query.lastIndexOf("&signature=");
  if (at < 0) return null;
  return { payload: query.slice(0, at), signature: decodeURIComponent(query.slice(at + "&signature=".length)) };
}
