import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cdpJwt } from "./jwt.ts";

function parts(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown>; input: Buffer; signature: Buffer } {
  const [h, c, s] = jwt.split(".") as [string, string, string];
  return { header: JSON.parse(Buffer.from(h, "base64url").toString()) as Record<string, unknown>, claims: JSON.parse(Buffer.from(c, "base64url").toString()) as Record<string, unknown>, input: Buffer.from(`${h}.${c}`), signature: Buffer.from(s, "base64url") };
}

const NAME = "organizations/org-id/apiKeys/key-id";

describe("Coinbase CDP JWT", () => {
  it("signs ES256 (raw r||s) with the documented header and claims, verifiable with the public key", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const jwt = cdpJwt({ name: NAME, secret: privateKey.export({ type: "sec1", format: "pem" }).toString() }, { method: "POST", host: "api.coinbase.com", path: "/api/v3/brokerage/orders" }, 1_700_000_000, "ab".repeat(16));
    const p = parts(jwt);
    expect(p.header).toEqual({ alg: "ES256", kid: NAME, nonce: "ab".repeat(16), typ: "JWT" });
    expect(p.claims).toEqual({ iss: "cdp", sub: NAME, nbf: 1_700_000_000, exp: 1_700_000_120, uri: "POST api.coinbase.com/api/v3/brokerage/orders" });
    expect(p.signature).toHaveLength(64);
    expect(verify("sha256", p.input, { key: publicKey, dsaEncoding: "ieee-p1363" }, p.signature)).toBe(true);
  });

  it("signs EdDSA with a base64 seed+public Ed25519 secret; the WebSocket JWT has no uri", () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const jwk = privateKey.export({ format: "jwk" });
    const secret = Buffer.concat([Buffer.from(jwk.d!, "base64url"), Buffer.from(jwk.x!, "base64url")]).toString("base64");
    const p = parts(cdpJwt({ name: NAME, secret }, null, 1_700_000_000));
    expect(p.header.alg).toBe("EdDSA");
    expect(p.claims.uri).toBeUndefined();
    expect(verify(null, p.input, createPublicKey(privateKey), p.signature)).toBe(true);
  });
});
