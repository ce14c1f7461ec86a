import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { multiplyDecimals } from "../../common/market/decimal.ts";
import { Pricing } from "../../common/strategy/engine/pricing.ts";
import { migrate, openAppDb } from "../store/app-db.ts";
import { APP_MIGRATIONS } from "../store/app-migrations.ts";
import { TradingEngine } from "./engine.ts";
import { REPLAY_RISK_LIMITS } from "./risk.ts";
import { SqliteTradingStore } from "./store.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trading-store-"));
  dirs.push(dir);
  return dir;
}

describe("exact decimals in the trading store", () => {
  it("a fill of price 0.1 and size 0.3 round-trips exactly and its fee is the decimal product", () => {
    const app = openAppDb(tempDir());
    const store = new SqliteTradingStore(app.db);
    const engine = new TradingEngine({ store, limits: REPLAY_RISK_LIMITS, fillModel: "next-trade", pricing: new Pricing({ commission: 0.001, slippageBps: 0 }), startingBalances: { USD: 1000 } });
    engine.openLedger("kraken", "s1", "XRP/USD", 1000);
    engine.place({ venue: "kraken", symbol: "XRP/USD", side: "buy", type: "market", size: 0.3, price: null, tif: "GTC" }, "s1", { createdTime: 0 });
    engine.onTrade("kraken", "XRP/USD", { ts: 1, price: 0.1, size: 5, receiveTime: 2 });
    const [fill] = store.load().fills;
    expect(fill).toBeDefined();
    expect(store.fillDecimals(fill!.id)).toEqual({ price: "0.1", size: "0.3", fee: multiplyDecimals("0.1", "0.3", "0.001") });
    expect(multiplyDecimals("0.1", "0.3", "0.001")).toBe("0.00003");
    expect(app.db.prepare("SELECT typeof(price) AS p, typeof(fee) AS f FROM fills").get()).toEqual({ p: "text", f: "text" });
    expect(app.db.prepare("SELECT start_cash FROM trading_ledgers").get()).toEqual({ start_cash: "1000" });
    expect(fill).toMatchObject({ price: 0.1, size: 0.3, fee: 0.00003 });
    app.close();
  });

  it("the migration turns an existing database's REAL columns into canonical decimal strings", () => {
    const db = new Database(path.join(tempDir(), "app.sqlite"));
    const upTo = APP_MIGRATIONS.findIndex((m) => m.name.startsWith("trading: fills' price"));
    migrate(db, APP_MIGRATIONS.slice(0, upTo));
    db.exec(`INSERT INTO orders VALUES ('o1', 'paper:kraken', 's1', 'kraken', 'XRP/USD', 'filled', '{}', 0, 0);
      INSERT INTO fills (id, order_id, account, ledger, symbol, side, price, size, fee, liquidity, venue_time, receive_time)
        VALUES ('f1', 'o1', 'paper:kraken', 's1', 'XRP/USD', 'buy', 0.1, 0.0000001, ${0.1 * 0.3 * 0.001}, 'taker', 1, 2);
      INSERT INTO trading_ledgers VALUES ('paper:kraken', 's1', 'XRP/USD', 10000.5);`);
    migrate(db);
    expect(db.prepare("SELECT price, size, fee FROM fills").get()).toEqual({ price: "0.1", size: "0.0000001", fee: "0.00003" });
    expect(db.prepare("SELECT start_cash FROM trading_ledgers").get()).toEqual({ start_cash: "10000.5" });
    expect(new SqliteTradingStore(db).load().ledgers[0]!.startCash).toBe(10000.5);
    db.close();
  });
});
