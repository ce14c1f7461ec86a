import { describe, expect, it } from "vitest";
import { krakenSignature, NonceSource } from "./sign.ts";

describe("Kraken API-Sign", () => {
  it("produces the signature of Kraken's documented example", () => {
    const secret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
    const body = "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25";
    expect(krakenSignature("/0/private/AddOrder", "1616492376594", body, secret)).toBe("4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==");
  });

  it("gives strictly increasing nonces even when the clock stands still or goes back", () => {
    let t = 1_700_000_000_000;
    const n = new NonceSource(0n, () => t);
    const a = BigInt(n.next());
    const b = BigInt(n.next());
    t -= 5000;
    const c = BigInt(n.next());
    expect(b).toBeGreaterThan(a);
    expect(c).toBeGreaterThan(b);
    expect(BigInt(new NonceSource(10n ** 20n, () => t).next())).toBe(10n ** 20n + 1n);
  });
});
