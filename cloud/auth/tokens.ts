/**
 * Access tokens: short-lived JWTs (HS256 only, via jose) carrying the account and device, with
 * audience, issuer and expiry checked on every request. Refresh tokens are opaque random strings
 * stored hashed, each usable once (see the storage's `useRefreshToken`).
 */
import crypto from "node:crypto";
import { jwtVerify, SignJWT } from "jose";

const AUDIENCE = "workstation-sync";
const ISSUER = "workstation-cloud";
const ALGORITHMS = ["HS256"];

/** Who an access token speaks for. */
export interface AccessClaims {
  accountId: string;
  deviceId: string;
}

/** Issues and checks access tokens with a key derived from the server secret. */
export class AccessTokens {
  private readonly key: Uint8Array;
  private readonly now: () => number;
  /** Seconds an access token lives. */
  readonly ttlSeconds: number;

  constructor(serverSecret: Buffer, ttlSeconds: number, now: () => number) {
    this.now = now;
    this.ttlSeconds = ttlSeconds;
    this.key = new Uint8Array(crypto.hkdfSync("sha256", serverSecret, Buffer.alloc(0), "workstation/jwt", 32));
  }

  /** A signed access token for a device. */
  issue(claims: AccessClaims): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    return new SignJWT({ did: claims.deviceId })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(claims.accountId)
      .setAudience(AUDIENCE)
      .setIssuer(ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(this.key);
  }

  /** The claims of a valid token; null when it is malformed, forged, expired or for someone else. */
  async verify(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ALGORITHMS, audience: AUDIENCE, issuer: ISSUER, currentDate: new Date(this.now()), requiredClaims: ["exp", "sub"] });
      if (typeof payload.sub !== "string" || typeof payload.did !== "string") return null;
      return { accountId: payload.sub, deviceId: payload.did };
    } catch {
      return null;
    }
  }
}
