import { describe, expect, it } from "vitest";
import { mergeExecution } from "./adapter.ts";
import { classifyErrors } from "./client.ts";
import { KrakenParseError, parseAddOrder, parseApiKeyInfo, parseBalance, parseCancelAfter, parseCancelOrder, parseEnvelope, parseOrders, parseTradesHistory, parseWebSocketsToken, parseWsAddOrder, parseWsMessage, parseWsRequestAnswer } from "./parse.ts";

// Payloads as Kraken's REST and WebSocket v2 documentation shows them.
describe("Kraken private answers", () => {
  it("reads the WS v2 answers to add_order, and its refusals", () => {
    const ok = parseWsRequestAnswer({ method: "add_order", req_id: 123456789, result: { order_id: "AA5JGQ-SBMRC-SCJ7J7", cl_ord_id: "w1-1" }, success: true, time_in: "2023-09-21T14:15:07.197274Z", time_out: "2023-09-21T14:15:07.205301Z" });
    expect(ok).toEqual({ reqId: 123456789, method: "add_order", success: true, result: { order_id: "AA5JGQ-SBMRC-SCJ7J7", cl_ord_id: "w1-1" } });
    expect(parseWsAddOrder(ok?.success ? ok.result : null)).toEqual({ orderId: "AA5JGQ-SBMRC-SCJ7J7", clOrdId: "w1-1" });
    expect(parseWsRequestAnswer({ error: "EOrder:Order minimum not met", method: "add_order", req_id: 7, success: false, time_in: "2023-09-21T14:15:07.197274Z", time_out: "2023-09-21T14:15:07.205301Z" })).toEqual({ reqId: 7, method: "add_order", success: false, error: "EOrder:Order minimum not met" });
    expect(parseWsRequestAnswer({ channel: "heartbeat" })).toBeNull();
  });

  it("reads GetApiKeyInfo's permissions", () => {
    const result = { apiKeyName: "my-api-key", apiKey: "4/SDrDBcOOPnm3nPlNfEMMJDeRcIVqPz+QhRxIodyZbI9po/aVRiHsgX", nonce: "1772627060997", nonceWindow: 0, permissions: ["query-funds", "withdraw-funds", "query-open-trades", "modify-trades"], iban: "AA88 N84G WOAK NMOI", validUntil: "0", queryFrom: "0", queryTo: "0", createdTime: "1772542900", modifiedTime: "1772543095", ipAllowlist: [], lastUsed: "1772627061" };
    expect(parseApiKeyInfo(result)).toEqual({ name: "my-api-key", permissions: ["query-funds", "withdraw-funds", "query-open-trades", "modify-trades"] });
    expect(() => parseApiKeyInfo({ apiKeyName: "k", permissions: "all" })).toThrow(new KrakenParseError('field "permissions": expected an array of strings'));
  });

  it("reads AddOrder, with and without txid (validate)", () => {
    const env = parseEnvelope({ error: [], result: { descr: { order: "buy 1.25000000 XBTUSD @ limit 27500.0" }, txid: ["OU22CG-KLAF2-FWUDD7"] } });
    expect(env.kind).toBe("ok");
    expect(parseAddOrder(env.kind === "ok" ? env.result : null)).toEqual({ txid: ["OU22CG-KLAF2-FWUDD7"], description: "buy 1.25000000 XBTUSD @ limit 27500.0" });
    expect(parseAddOrder({ descr: { order: "buy 1.25000000 XBTUSD @ limit 27500.0" } }).txid).toEqual([]);
    expect(parseCancelOrder({ count: 1 })).toEqual({ count: 1, pending: false });
  });

  it("reads OpenOrders and ClosedOrders with cl_ord_id", () => {
    const open = { open: { "OQCLML-BW3P3-BUCMWZ": { refid: "None", userref: 0, cl_ord_id: "live-1", status: "open", opentm: 1688666559.8974, starttm: 0, expiretm: 0, descr: { pair: "XBTUSD", type: "buy", ordertype: "limit", price: "30010.0", price2: "0", leverage: "none", order: "buy 1.25000000 XBTUSD @ limit 30010.0", close: "" }, vol: "1.25000000", vol_exec: "0.37500000", cost: "11253.7", fee: "0.00000", price: "30010.0", stopprice: "0.00000", limitprice: "0.00000", misc: "", oflags: "fciq", trades: ["TCCCTY-WE2O6-P3NB37"] } } };
    expect(parseOrders(open)).toEqual([{ txid: "OQCLML-BW3P3-BUCMWZ", clOrdId: "live-1", status: "open", pair: "XBTUSD", side: "buy", ordertype: "limit", price: 30010, vol: 1.25, volExec: 0.375, time: 1688666559897, trades: ["TCCCTY-WE2O6-P3NB37"] }]);
    expect(parseOrders({ closed: {}, count: 0 })).toEqual([]);
    expect(() => parseOrders({ open: { X: { status: "weird" } } })).toThrow(KrakenParseError);
  });

  it("reads Balance, TradesHistory, GetWebSocketsToken and CancelAllOrdersAfter", () => {
    expect(parseBalance({ ZUSD: "171288.6158", XXBT: "0.0011" })).toEqual({ ZUSD: 171288.6158, XXBT: 0.0011 });
    const trades = { trades: { "THVRQM-33VKH-UCI7BS": { ordertxid: "OQCLML-BW3P3-BUCMWZ", postxid: "TKH2SE-M7IF5-CFI7LT", pair: "XXBTZUSD", time: 1688667796.8802, type: "buy", ordertype: "limit", price: "30010.00000", cost: "600.20000", fee: "0.00000", vol: "0.02000000", margin: "0.00000", misc: "", trade_id: 40274859, maker: true } }, count: 1 };
    expect(parseTradesHistory(trades)).toEqual([{ tradeId: "THVRQM-33VKH-UCI7BS", ordertxid: "OQCLML-BW3P3-BUCMWZ", pair: "XXBTZUSD", price: 30010, vol: 0.02, fee: 0, time: 1688667796880, maker: true }]);
    expect(parseWebSocketsToken({ token: "1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw", expires: 900 }).expires).toBe(900);
    expect(parseCancelAfter({ currentTime: "2023-03-24T17:41:56Z", triggerTime: "2023-03-24T17:42:56Z" }).triggerTime).toBe(Date.parse("2023-03-24T17:42:56Z"));
  });

  it("classifies Kraken's errors like Binance's", () => {
    expect(parseEnvelope({ error: ["EOrder:Insufficient funds"] })).toEqual({ kind: "error", errors: ["EOrder:Insufficient funds"] });
    expect(classifyErrors(["EOrder:Insufficient funds"]).kind).toBe("error");
    expect(classifyErrors(["EAPI:Invalid nonce"]).kind).toBe("error");
    expect(classifyErrors(["EGeneral:Invalid arguments"]).kind).toBe("error");
    expect(classifyErrors(["EAPI:Rate limit exceeded"]).kind).toBe("throttled");
    expect(classifyErrors(["EService:Unavailable"]).kind).toBe("unknown");
    expect(() => parseEnvelope("<html>")).toThrow(KrakenParseError);
  });

  it("reads the WS v2 executions snapshot and a trade update", () => {
    const snapshot = { channel: "executions", type: "snapshot", data: [{ order_id: "OK4GJX-KSTLS-7DZZO5", order_userref: 3, cl_ord_id: "live-1", symbol: "BTC/USD", order_qty: 0.005, cum_cost: 0, time_in_force: "GTC", exec_type: "new", side: "buy", order_type: "limit", limit_price_type: "static", limit_price: 26500.0, stop_price: 0, order_status: "new", fee_usd_equiv: 0, fee_ccy_pref: "fciq", timestamp: "2023-09-22T10:33:05.709950Z" }], sequence: 1 };
    const s = parseWsMessage(snapshot);
    expect(s).toMatchObject({ kind: "executions", type: "snapshot", sequence: 1, executions: [{ execType: "new", orderId: "OK4GJX-KSTLS-7DZZO5", clOrdId: "live-1", side: "buy", orderQty: 0.005, limitPrice: 26500, orderStatus: "new", trade: null }] });
    const update = { channel: "executions", type: "update", data: [{ order_id: "OK4GJX-KSTLS-7DZZO5", cl_ord_id: "live-1", exec_id: "TGI5CK-L2QQD-ZTT2GV", exec_type: "trade", trade_id: 1234, symbol: "BTC/USD", side: "buy", last_qty: 0.005, last_price: 26500.0, liquidity_ind: "m", cost: 132.5, order_status: "filled", order_type: "limit", timestamp: "2023-09-22T10:33:10.000000Z", fee_usd_equiv: 0.21, fees: [{ asset: "USD", qty: 0.21 }] }], sequence: 2 };
    expect(parseWsMessage(update)).toMatchObject({ type: "update", executions: [{ execType: "trade", orderStatus: "filled", trade: { tradeId: "1234", lastQty: 0.005, lastPrice: 26500, maker: true, fee: 0.21, feeAsset: "USD" } }] });
    expect(parseWsMessage({ channel: "heartbeat" })).toEqual({ kind: "other", channel: "heartbeat" });
  });

  it("keeps what a partial executions update leaves out from the order's earlier state", () => {
    const snap = parseWsMessage({ channel: "executions", type: "snapshot", data: [{ order_id: "OK4GJX-KSTLS-7DZZO5", cl_ord_id: "live-1", symbol: "BTC/USD", side: "sell", order_qty: 0.5, limit_price: 26500, order_status: "new", cum_qty: 0, exec_type: "new", timestamp: "2023-09-22T10:33:05.709950Z" }], sequence: 1 });
    const update = parseWsMessage({ channel: "executions", type: "update", data: [{ order_id: "OK4GJX-KSTLS-7DZZO5", exec_id: "TGI5CK-L2QQD-ZTT2GV", exec_type: "trade", trade_id: 7, last_qty: 0.2, last_price: 26500, liquidity_ind: "m", order_status: "partially_filled", timestamp: "2023-09-22T10:33:10Z", fees: [{ asset: "USD", qty: 0.1 }] }], sequence: 2 });
    if (snap.kind !== "executions" || update.kind !== "executions") throw new Error("not executions");
    const first = mergeExecution(null, snap.executions[0]!);
    expect(mergeExecution(first, update.executions[0]!)).toMatchObject({ clientOrderId: "live-1", symbol: "BTC/USD", side: "sell", size: 0.5, price: 26500, status: "partially_filled", filledSize: 0.2 });
    expect(mergeExecution(null, update.executions[0]!)).toMatchObject({ clientOrderId: "", size: 0, filledSize: 0.2 });
  });
});
