/**
 * Kraken spot REST private request signing: `API-Sign` = base64(HMAC-SHA512(base64-decoded secret,
 * URI path + SHA-256(nonce + POST data))), with one strictly increasing `nonce` per key; used by
 * the Kraken private client (client.ts) and checked by its simulator (simulator.ts).
 */
import { createHash, createHmac } from "node:crypto";

/** The `API-Sign` header of a private request. */
export function krakenSignature(uriPath: string, nonce: string, postData: string, secretBase64: string): string {
  const inner = createHash("sha256").update(nonce + postData).digest();
  return createHmac("sha512", Buffer.from(secretBase64, "base64")).update(Buffer.concat([Buffer.from(uriPath), inner])).digest("base64");
}

/** Nonces for one key: microseconds of the clock, never equal to or below the last one given (or `seed`). */
export class NonceSource {
  private last: bigint;
  private readonly clockMs: () => number;

  constructor(seed = 0n, clockMs: () => number = Date.now) {
    this.last = seed;
    this.clockMs = clockMs;
  }

  /** The next nonce, as decimal text. */
  next(): string {
    const now = BigInt(Math.floor(this.clockMs())) * 1000n;
    this.last = now > this.last ? now : this.last + 1n;
    return this.last.toString();
  }
}
