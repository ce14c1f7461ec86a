import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CumulativeFills, tradeFillsBeyond } from "./cumulative.ts";
import { CoinbaseParseError, parseAccounts, parseBatchCancel, parseCreateOrder, parseFills, parseGetOrder, parseKeyPermissions, parseOrdersPage, parseWsMessage } from "./parse.ts";
import { redactCoinbase } from "./client.ts";

const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8")) as unknown;

describe("Coinbase private answers (recorded from the documentation's examples)", () => {
  it("parses create-order success and failure", () => {
    expect(parseCreateOrder(fixture("create-order-success.json"))).toEqual({ success: true, orderId: "11111-00000-000000", clientOrderId: "0000-00000-000000" });
    expect(parseCreateOrder(fixture("create-order-failure.json"))).toEqual({ success: false, error: "INSUFFICIENT_FUND", message: "Insufficient balance in source account" });
  });

  it("parses an order, a page of orders, fills, cancel results, key permissions and accounts", () => {
    expect(parseGetOrder(fixture("get-order.json"))).toMatchObject({ orderId: "0000-000000-000000", clientOrderId: "11111-000000-000000", status: "OPEN", side: "BUY", size: 0.001, limitPrice: 10_000, filled: 0.0005, avgPrice: 10_000, totalFees: 0.03 });
    const page = parseOrdersPage(fixture("list-orders.json"));
    expect(page.cursor).toBe("789100");
    expect(page.orders[0]).toMatchObject({ clientOrderId: "w1-7", status: "FILLED", size: 0.001, limitPrice: null, filled: 0.001 });
    expect(parseFills(fixture("list-fills.json")).fills).toEqual([{ tradeId: "1111-11111-111111", orderId: "0000-000000-000000", productId: "BTC-USD", price: 45_123.45, size: 0.005, commission: 1.14, time: Date.parse("2024-01-15T10:30:00Z"), maker: true }]);
    expect(parseBatchCancel(fixture("batch-cancel.json"))).toEqual([{ orderId: "0000-00000", success: true, failureReason: "UNKNOWN_CANCEL_FAILURE_REASON" }, { orderId: "1111-11111", success: false, failureReason: "UNKNOWN_CANCEL_ORDER" }]);
    expect(parseKeyPermissions(fixture("key-permissions.json"))).toEqual({ canView: true, canTrade: true, canTransfer: false, portfolioUuid: "11111111-1111-1111-1111-111111111111" });
    expect(parseAccounts(fixture("accounts.json"))).toEqual({ balances: { BTC: { free: 1.23, locked: 0.5 } }, cursor: "" });
  });

  it("parses the user channel's snapshot and update with their sequence_num", () => {
    const snap = parseWsMessage(fixture("user-snapshot.json"));
    expect(snap).toMatchObject({ kind: "user", sequence: 1, events: [{ type: "snapshot", orders: [{ clientOrderId: "11111-000000-000001", status: "OPEN", filled: 0, size: 0.001 }] }] });
    expect(parseWsMessage({ channel: "heartbeats", sequence_num: 3, events: [] })).toEqual({ kind: "other", channel: "heartbeats", sequence: 3, error: null });
  });

  it("names the field of an answer that does not have the documented shape", () => {
    expect(() => parseCreateOrder({ success: "yes" })).toThrow(new CoinbaseParseError('field "success": expected a boolean'));
    expect(() => parseGetOrder({ order: { order_id: "x", product_id: "BTC-USD", side: "BUY", status: "DONE" } })).toThrow(/unknown order status "DONE"/);
    expect(() => parseWsMessage({ channel: "user", events: [] })).toThrow(/sequence_num/);
  });

  it("redacts JWTs and the key name from logged text", () => {
    expect(redactCoinbase('{"jwt":"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln","kid":"organizations/o/apiKeys/k"}', "organizations/o/apiKeys/k")).toBe('{"jwt":"<jwt>","kid":"<key-name>"}');
  });
});

describe("fills from cumulative quantities", () => {
  it("turns new totals into one fill each, ignoring repeated and stale totals", () => {
    const c = new CumulativeFills();
    const snap = parseWsMessage(fixture("user-update.json"));
    if (snap.kind !== "user") throw new Error("not a user message");
    const o = snap.events[0]!.orders[0]!;
    const t = { orderId: o.orderId, filled: o.filled, avgPrice: o.avgPrice, totalFees: o.totalFees, time: 1 };
    expect(c.advance(t, "USD", true)).toEqual({ venueOrderId: o.orderId, tradeId: "cum:0.0004", price: 68_800, qty: 0.0004, fee: 0.165, feeAsset: "USD", time: 1, maker: true });
    expect(c.advance(t, "USD", true)).toBeNull();
    expect(c.advance({ ...t, filled: 0.001, avgPrice: 68_900, totalFees: 0.4 }, "USD", true)).toMatchObject({ tradeId: "cum:0.001", qty: 0.0006, price: 68_966.66666667, fee: 0.235 });
    expect(c.advance(t, "USD", true)).toBeNull();
  });

  it("continues from what the order layer already holds after a restart", () => {
    const c = new CumulativeFills();
    c.seed("o1", 0.4, 100, 1, 1);
    expect(c.advance({ orderId: "o1", filled: 1, avgPrice: 110, totalFees: 1, time: 2 }, "USD", false)).toMatchObject({ tradeId: "cum:1", qty: 0.6, price: 116.66666667, fee: 0.6 });
  });

  it("takes listed executions (trade ids) beyond what was reported, or falls back when they straddle it or do not add up", () => {
    const trade = (id: string, size: number, time: number) => ({ tradeId: id, price: 100, size, commission: 0.1, time, maker: true });
    const t = { orderId: "o1", filled: 1, avgPrice: 100, totalFees: 0.2, time: 3 };
    const c = new CumulativeFills();
    c.seed("o1", 0.4, 100, 0.2, 1);
    expect(tradeFillsBeyond(c, t, [trade("b", 0.6, 2), trade("a", 0.4, 1)], "USD")).toEqual([{ venueOrderId: "o1", tradeId: "b", price: 100, qty: 0.6, fee: 0.1, feeAsset: "USD", time: 2, maker: true }]);
    expect(c.advance(t, "USD", false)).toBeNull();
    const straddle = new CumulativeFills();
    straddle.seed("o1", 0.5, 100, 0.2, 1);
    expect(tradeFillsBeyond(straddle, t, [trade("a", 0.4, 1), trade("b", 0.6, 2)], "USD")).toBeNull();
    expect(tradeFillsBeyond(new CumulativeFills(), t, [trade("a", 0.4, 1)], "USD")).toBeNull();
  });
});
