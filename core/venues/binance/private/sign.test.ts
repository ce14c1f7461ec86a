import { generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hmacSignature, signedQuery, splitSignature, type BinanceKey } from "./sign.ts";

// The worked example of Binance's spot API documentation (SIGNED endpoint examples, HMAC SHA256).
const DOC_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
const DOC_QUERY = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
const DOC_SIGNATURE = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71";

describe("Binance signing", () => {
  it("produces the documented signature for the documented request", () => {
    expect(hmacSignature(DOC_QUERY, DOC_SECRET)).toBe(DOC_SIGNATURE);
    const key: BinanceKey = { apiKey: "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", secret: DOC_SECRET, kind: "hmac" };
    const params = [["symbol", "LTCBTC"], ["side", "BUY"], ["type", "LIMIT"], ["timeInForce", "GTC"], ["quantity", 1], ["price", 0.1]] as const;
    expect(signedQuery(params, key, 1499827319559, 5000)).toBe(`${DOC_QUERY}&signature=${DOC_SIGNATURE}`);
  });

  it("signs with Ed25519 over the same payload, verifiable with the public key", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const key: BinanceKey = { apiKey: "k", secret: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), kind: "ed25519" };
    const q = signedQuery([["symbol", "BTCUSDT"]], key, 1700000000000);
    const split = splitSignature(q)!;
    expect(split.payload).toBe("symbol=BTCUSDT&recvWindow=5000&timestamp=1700000000000");
    expect(verify(null, Buffer.from(split.payload), publicKey, Buffer.from(split.signature, "base64"))).toBe(true);
  });
});
