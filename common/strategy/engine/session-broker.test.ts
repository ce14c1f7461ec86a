import { describe, expect, it } from "vitest";
import { SessionBroker } from "./session-broker.ts";

const BAR = { index: 0, time: 0, open: 1, high: 1, low: 1, close: 1 };

describe("SessionBroker order ids", () => {
  it("numbers new orders after every order id the host handed over (a resumed session)", () => {
    const b = new SessionBroker(1000);
    b.ordersEnabled = true;
    b.push([
      { kind: "fill", orderId: 3, side: "buy", size: 1, price: 1, fee: 0, time: 0 },
      { kind: "done", orderId: 7, status: "cancelled", reason: "an order of an earlier run" },
    ]);
    b.drain();
    expect(b.submit({ side: "buy", size: 1 }, BAR)).toBe(8);
    expect(b.position.size).toBe(1);
  });
});
