import { describe, expect, it } from "vitest";
import { checkFilters, parseExchangeFilters } from "./filters.ts";
import { BinanceParseError, parseAccountBalances, parseError, parseJson, parseMyTrade, parseOrder, parseOrderFills, parseRestrictions, parseUserEvent } from "./parse.ts";

// Payloads as Binance's spot API documentation prints them.
const FULL = `{"symbol":"BTCUSDT","orderId":28,"orderListId":-1,"clientOrderId":"6gCrw2kRUAF9CvJDGP16IP","transactTime":1507725176595,"price":"0.00000000","origQty":"10.00000000","executedQty":"10.00000000","origQuoteOrderQty":"0.000000","cummulativeQuoteQty":"10.00000000","status":"FILLED","timeInForce":"GTC","type":"MARKET","side":"SELL","workingTime":1507725176595,"selfTradePreventionMode":"NONE","fills":[{"price":"4000.00000000","qty":"1.00000000","commission":"4.00000000","commissionAsset":"USDT","tradeId":56},{"price":"3999.00000000","qty":"5.00000000","commission":"19.99500000","commissionAsset":"USDT","tradeId":57}]}`;
const EXEC_NEW = `{"e":"executionReport","E":1499405658658,"s":"ETHBTC","c":"mUvoqJxFIILMdfAW5iGSOW","S":"BUY","o":"LIMIT","f":"GTC","q":"1.00000000","p":"0.10264410","P":"0.00000000","F":"0.00000000","g":-1,"C":"","x":"NEW","X":"NEW","r":"NONE","i":4293153,"l":"0.00000000","z":"0.00000000","L":"0.00000000","n":"0","N":null,"T":1499405658657,"t":-1,"I":8641984,"w":true,"m":false,"M":false,"O":1499405658657,"Z":"0.00000000","Y":"0.00000000","Q":"0.00000000","W":1499405658657,"V":"NONE"}`;
const POSITION = `{"e":"outboundAccountPosition","E":1564034571105,"u":1564034571073,"B":[{"a":"ETH","f":"10000.000000","l":"0.000000"}]}`;

describe("Binance private parsers", () => {
  it("reads a FULL order answer and its fills", () => {
    const raw = parseJson(FULL);
    const o = parseOrder(raw);
    expect(o).toEqual({ symbol: "BTCUSDT", orderId: 28, clientOrderId: "6gCrw2kRUAF9CvJDGP16IP", side: "SELL", type: "MARKET", status: "FILLED", price: 0, origQty: 10, executedQty: 10, time: 1507725176595 });
    expect(parseOrderFills(raw, o).map((f) => [f.tradeId, f.price, f.qty, f.commission])).toEqual([[56, 4000, 1, 4], [57, 3999, 5, 19.995]]);
  });

  it("reads executionReport (bare and wrapped by the WebSocket API) and outboundAccountPosition", () => {
    const bare = parseUserEvent(parseJson(EXEC_NEW));
    const wrapped = parseUserEvent(parseJson(`{"subscriptionId":0,"event":${EXEC_NEW}}`));
    expect(wrapped).toEqual(bare);
    expect(bare).toMatchObject({ kind: "execution", report: { clientOrderId: "mUvoqJxFIILMdfAW5iGSOW", orderId: 4293153, executionType: "NEW", status: "NEW", origQty: 1, trade: null } });
    const trade = parseUserEvent(parseJson(EXEC_NEW.replace('"x":"NEW","X":"NEW"', '"x":"TRADE","X":"PARTIALLY_FILLED"').replace('"l":"0.00000000"', '"l":"0.5"').replace('"L":"0.00000000"', '"L":"0.1026"').replace('"t":-1', '"t":77').replace('"N":null', '"N":"BNB"')));
    expect(trade).toMatchObject({ kind: "execution", report: { trade: { tradeId: 77, qty: 0.5, price: 0.1026, commissionAsset: "BNB", isMaker: false } } });
    expect(parseUserEvent(parseJson(POSITION))).toEqual({ kind: "account", position: { eventTime: 1564034571105, balances: [{ asset: "ETH", free: 10000, locked: 0 }] } });
  });

  it("reads myTrades rows, account balances, key restrictions and error bodies", () => {
    const t = parseMyTrade({ symbol: "BNBBTC", id: 28457, orderId: 100234, orderListId: -1, price: "4.00000100", qty: "12.00000000", quoteQty: "48.000012", commission: "10.10000000", commissionAsset: "BNB", time: 1499865549590, isBuyer: true, isMaker: false, isBestMatch: true });
    expect(t).toMatchObject({ tradeId: 28457, orderId: 100234, price: 4.000001, qty: 12 });
    expect(parseAccountBalances({ balances: [{ asset: "BTC", free: "4723846.89208129", locked: "0.00000000" }] })).toEqual([{ asset: "BTC", free: 4723846.89208129, locked: 0 }]);
    expect(parseRestrictions({ ipRestrict: false, createTime: 1698645219000, enableReading: true, enableWithdrawals: false, enableInternalTransfer: false, enableMargin: false, enableFutures: false, permitsUniversalTransfer: false, enableVanillaOptions: false, enableSpotAndMarginTrading: true })).toMatchObject({ enableWithdrawals: false, enableSpotAndMarginTrading: true });
    expect(parseError({ code: -1007, msg: "Timeout waiting for response from backend server. Send status unknown; execution status unknown." })?.code).toBe(-1007);
    expect(parseError({ orderId: 1 })).toBeNull();
  });

  it("names the field of an answer that does not parse", () => {
    expect(() => parseOrder(JSON.parse(FULL.replace('"status":"FILLED"', '"status":"WEIRD"')))).toThrow(/status/);
    expect(() => parseJson("<html>")).toThrow(BinanceParseError);
    expect(() => parseUserEvent({ e: "executionReport", E: 1 })).toThrow(BinanceParseError);
  });
});

describe("exchangeInfo filters", () => {
  const info = { symbols: [{ symbol: "BTCUSDT", baseAsset: "BTC", quoteAsset: "USDT", filters: [{ filterType: "PRICE_FILTER", minPrice: "0.01000000", maxPrice: "1000000.00000000", tickSize: "0.01000000" }, { filterType: "LOT_SIZE", minQty: "0.00001000", maxQty: "9000.00000000", stepSize: "0.00001000" }, { filterType: "NOTIONAL", minNotional: "5.00000000", applyMinToMarket: true, maxNotional: "9000000.00000000", applyMaxToMarket: false, avgPriceMins: 5 }] }] };
  const f = parseExchangeFilters(info).get("BTCUSDT")!;
  it("passes an order on the grid and names the rule an order breaks", () => {
    expect(checkFilters(f, 0.001, 50000.01, null)).toBeNull();
    expect(checkFilters(f, 0.001, 50000.005, null)?.rule).toBe("PRICE_FILTER");
    expect(checkFilters(f, 0.000015, 50000, null)?.rule).toBe("LOT_SIZE");
    expect(checkFilters(f, 0.000001, 50000, null)?.rule).toBe("LOT_SIZE");
    expect(checkFilters(f, 0.00005, null, 50000)).toMatchObject({ rule: "NOTIONAL", reason: "notional 2.5 is below the minimum 5" });
  });
});
