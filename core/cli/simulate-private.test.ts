import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import type { TradingOrder } from "../../common/trading/orders.ts";
import type { ExecutionAdapter } from "../trading/live/adapter.ts";
import { BinanceExecution } from "../venues/binance/private/adapter.ts";
import { CoinbaseExecution } from "../venues/coinbase/private/adapter.ts";
import { KrakenExecutionAdapter } from "../venues/kraken/private/adapter.ts";

const BIN = path.join(import.meta.dirname, "..", "..", "bin", "workstation");
const child = spawn(BIN, ["simulate", "--venues", "binance,kraken,coinbase", "--private", "--rate", "0"], { stdio: ["ignore", "pipe", "pipe"] });
afterAll(() => void child.kill("SIGTERM"));

function order(venue: string, symbol: string): TradingOrder {
  return { venue, symbol, side: "buy", type: "market", size: 0.01, price: null, tif: "GTC", id: `sim-${venue}-1`, account: `live:${venue}`, ledger: "manual", status: "submitted", filledSize: 0, avgPrice: null, createdTime: Date.now(), updatedTime: Date.now(), reason: null, parentId: null, ocoId: null, strategyOrderId: null, childStrategyIds: [] };
}

type Face = { rest: string; wsApi: string; apiKey: string; secret: string };

describe("workstation simulate --private", () => {
  it("serves each venue's private API beside the public one, with its URLs and test key on stdout", async () => {
    const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
    const faces = (JSON.parse(line) as { private: Record<string, Face> }).private;
    expect(Object.keys(faces).sort()).toEqual(["binance", "coinbase", "kraken"]);
    const adapters: [ExecutionAdapter, string][] = [
      [new BinanceExecution(faces.binance!, { apiKey: faces.binance!.apiKey, secret: faces.binance!.secret, kind: "hmac" }, () => {}), "BTC/USDT"],
      [new KrakenExecutionAdapter({ rest: faces.kraken!.rest, wsAuth: faces.kraken!.wsApi }, { apiKey: faces.kraken!.apiKey, secret: faces.kraken!.secret }, { log: () => {} }), "BTC/USD"],
      [new CoinbaseExecution({ rest: faces.coinbase!.rest, wsUser: faces.coinbase!.wsApi }, { name: faces.coinbase!.apiKey, secret: faces.coinbase!.secret }, () => {}), "BTC/USD"],
    ];
    for (const [adapter, symbol] of adapters) {
      await adapter.prepare();
      expect(await adapter.place(order(adapter.venue, symbol)), adapter.venue).toMatchObject({ kind: "accepted", state: { status: "filled", filledSize: 0.01 } });
    }
    (adapters[1]![0] as KrakenExecutionAdapter).close();
  }, 30_000);
});
