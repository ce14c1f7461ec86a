import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PositionView } from "../../common/api/trading.ts";
import type { TradingOrder } from "../../common/trading/orders.ts";
import { startCore, type RunningCore } from "../app.ts";
import type { CliIo } from "../cli/command.ts";
import { runCli } from "../cli/main.ts";
import { connectToRunningCore } from "../cli/core-client.ts";
import { silentLogger } from "../log.ts";
import { Simulator } from "../simulator/server.ts";

let sim: Simulator;
let dir: string;

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env: {} };
}

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const io = capture();
  const code = await runCli([...argv, "--data-dir", dir], io);
  return { code, out: io.stdout, err: io.stderr };
}

function start(): Promise<RunningCore> {
  return startCore({ dataDir: dir, log: silentLogger(), port: 0, staticDir: dir, feeds: { venues: { kraken: { ...sim.urls("kraken"), enabled: true } }, simulated: false, simulatedRate: 20 } });
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "trading-core-"));
  sim = await Simulator.start({ venues: ["kraken"], rate: 200, tradeShare: 0.5 });
});
afterAll(async () => {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("trading through the running core", () => {
  it("manual paper orders fill on the live feed; the risk gate and the kill switch refuse with their rule; state survives a restart", async () => {
    let core = await start();
    try {
      const placed = await cli("order", "buy", "BTC/USD", "0.1", "--venue", "kraken", "--json");
      expect(placed.code).toBe(0);
      const order = JSON.parse(placed.out[0]!) as TradingOrder;
      expect(order).toMatchObject({ side: "buy", size: 0.1, type: "market", status: "accepted", ledger: "manual" });
      const orders = await until(
        async () => JSON.parse((await cli("orders", "--json")).out[0]!) as TradingOrder[],
        (os) => {
          if (os[0]?.status === "rejected") throw new Error(os[0].reason ?? "rejected");
          return os[0]?.status === "filled";
        },
      );
      expect(orders[0]!.avgPrice).toBeGreaterThan(0);
      const fills = JSON.parse((await cli("fills", "--json")).out[0]!) as { orderId: string; venueTime: number; receiveTime: number }[];
      expect(fills).toHaveLength(1);
      expect(fills[0]!.receiveTime).toBeGreaterThanOrEqual(fills[0]!.venueTime - 60_000);
      const client = (await connectToRunningCore(dir))!;
      expect(await client.call("trading.fills", { venue: "kraken", symbol: "BTC/USD" })).toHaveLength(1);
      expect(await client.call("trading.fills", { venue: "kraken", symbol: "ETH/USD" })).toEqual([]);
      client.close();

      const big = await cli("order", "buy", "BTC/USD", "1000000", "--venue", "kraken");
      expect(big.code).toBe(1);
      expect(big.out[0]).toMatch(/rejected.*max-order-notional: the order is worth/);

      expect((await cli("order", "sell", "BTC/USD", "0.05", "--venue", "kraken", "--limit", "20")).out[0]).toMatch(/rejected.*price-band/);
      // The venue's instrument rules (the simulator's Kraken AssetPairs: costmin 0.5, lot 1e-8).
      expect((await cli("order", "sell", "BTC/USD", "0.05", "--venue", "kraken", "--limit", "1")).out[0]).toMatch(/rejected.*min-notional: order value 0.05 is below the minimum of 0.5/);
      expect((await cli("order", "buy", "BTC/USD", "0.000000001", "--venue", "kraken")).out[0]).toMatch(/rejected.*lot-size/);
      const resting = JSON.parse((await cli("order", "sell", "BTC/USD", "0.05", "--venue", "kraken", "--limit", String(Math.round(orders[0]!.avgPrice! * 1.1)), "--json")).out[0]!) as TradingOrder;
      expect(resting.status).toBe("accepted");
      expect((await cli("trading", "halt")).out).toEqual(["trading: halt"]);
      const after = JSON.parse((await cli("orders", "--json")).out[0]!) as TradingOrder[];
      expect(after.find((o) => o.id === resting.id)).toMatchObject({ status: "canceled", reason: "trading halted (kill switch)" });
      const refused = await cli("order", "buy", "BTC/USD", "0.1", "--venue", "kraken");
      expect(refused.out[0]).toMatch(/rejected.*kill-switch/);
    } finally {
      await core.stop();
    }

    expect((await cli("trading", "status", "--json")).out).toEqual(['{"mode":"halt"}']);
    expect((await cli("trading", "failed-orders")).out).toEqual(["failed strategy orders: cancel"]);
    const positions = JSON.parse((await cli("positions", "--json")).out[0]!) as PositionView[];
    expect(positions.find((p) => p.ledger === "manual")).toMatchObject({ venue: "kraken", symbol: "BTC/USD", size: 0.1 });

    core = await start();
    try {
      expect((await cli("trading", "status")).out).toEqual(["trading: halt"]);
      expect((await cli("trading", "resume")).out).toEqual(["trading: normal"]);
      const live = JSON.parse((await cli("positions", "--json")).out[0]!) as PositionView[];
      expect(live.find((p) => p.ledger === "manual")!.size).toBe(0.1);
      expect((await cli("trading", "failed-orders", "leave")).out).toEqual(["failed strategy orders: leave"]);
      expect((await cli("trading", "reset", "--account", "paper:kraken")).code).toBe(2);
      const reset = await cli("trading", "reset", "--account", "paper:kraken", "--yes", "--json");
      expect(JSON.parse(reset.out[0]!)).toEqual({ id: "paper:kraken", venue: "kraken", balances: { USD: 100_000, USDT: 100_000 } });
      const cleared = JSON.parse((await cli("positions", "--json")).out[0]!) as PositionView[];
      expect(cleared.find((p) => p.ledger === "manual")!.size).toBe(0);
    } finally {
      await core.stop();
    }
  }, 60_000);

  it("Deploy → Paper: a strategy session runs on the live feed with its own fill model and fees, survives a core restart with its position and settings, and stops", async () => {
    const source = `import { defineStrategy } from "workstation";
export default defineStrategy({ params: {}, onBar(bar, ctx) { ctx.log("pos", ctx.position.size); if (ctx.position.size === 0) ctx.buy(0.01); } });
`;
    let core = await start();
    let id: string;
    try {
      const client = (await connectToRunningCore(dir))!;
      const started = await client.call("trading.start", { source, filename: "dip.ts", venue: "kraken", symbol: "BTC/USD", timeframe: "1s", cash: 10_000, fill: { fillModel: "next-trade", makerFee: 0.002, takerFee: 0.002 } });
      id = started.id;
      expect(started).toMatchObject({ name: "dip", status: "running", fill: { fillModel: "next-trade", makerFee: 0.002, takerFee: 0.002, slippageBps: 0, latencyMs: 0 } });
      await until(() => client.call("trading.positions", {}), (ps) => ps.some((p) => p.ledger === id && p.size === 0.01));
      const order = (await client.call("trading.orders", {})).find((o) => o.ledger === id)!;
      const [fill] = await client.call("trading.fills", { venue: "kraken", symbol: "BTC/USD" }).then((fs) => fs.filter((f) => f.orderId === order.id));
      // next-trade: the whole order at one trade's price (after the bar's end), taker, at the session's 0.2%.
      expect(fill).toMatchObject({ size: 0.01, liquidity: "taker" });
      expect(fill!.venueTime).toBeGreaterThanOrEqual(order.createdTime);
      expect(fill!.fee).toBeCloseTo(0.01 * fill!.price * 0.002, 12);
      client.close();
    } finally {
      await core.stop();
    }
    core = await start();
    try {
      const client = (await connectToRunningCore(dir))!;
      const sessions = await until(() => client.call("trading.sessions", {}), (ss) => ss.some((s) => s.id === id && s.bars >= 2));
      expect(sessions.find((s) => s.id === id)!.status).toBe("running");
      expect(sessions.find((s) => s.id === id)!.fill).toEqual({ fillModel: "next-trade", makerFee: 0.002, takerFee: 0.002, slippageBps: 0, latencyMs: 0 });
      expect(sessions.find((s) => s.id === id)!.equityCurve.length).toBeGreaterThanOrEqual(2);
      expect(sessions.find((s) => s.id === id)!.log[0]).toBe("pos 0.01");
      const orders = (await client.call("trading.orders", {})).filter((o) => o.ledger === id);
      expect(orders.filter((o) => o.status === "filled")).toHaveLength(1);
      expect((await client.call("trading.stop", { id })).status).toBe("stopped");
      const file = path.join(dir, "cli.ts");
      fs.writeFileSync(file, source);
      const viaCli = await cli("paper", file, "--venue", "kraken", "--symbol", "BTC/USD", "--timeframe", "1m", "--json");
      expect(viaCli.code).toBe(0);
      const session = JSON.parse(viaCli.out[0]!) as { id: string; name: string; status: string; fill: unknown };
      expect(session).toMatchObject({ name: "cli", status: "running", fill: { fillModel: "book", makerFee: 0.001, takerFee: 0.001 } });
      const tuned = await cli("paper", file, "--venue", "kraken", "--symbol", "BTC/USD", "--timeframe", "1m", "--fill-model", "next-trade", "--commission", "0.002", "--taker-fee", "0.003", "--slippage-bps", "5", "--latency-ms", "20");
      expect(tuned.out[0]).toMatch(/^started s\w+: cli on kraken BTC\/USD 1m \(running; next-trade · fees 0.2%\/0.3% · slip 5 bps · 20 ms\)/);
      expect((await client.call("trading.sessions", {})).map((s) => s.id)).toContain(session.id);
      client.close();
    } finally {
      await core.stop();
    }
  }, 60_000);

  it("refuses bad orders with a one-line usage error", async () => {
    expect((await cli("order", "hold", "BTC/USD", "1", "--venue", "kraken")).code).toBe(2);
    expect((await cli("order", "buy", "BTC/USD", "0", "--venue", "kraken")).err[0]).toMatch(/SIZE must be a number above 0/);
    expect((await cli("order", "buy", "BTC/USD", "1", "--venue", "kraken", "--limit", "1", "--stop", "2")).err[0]).toMatch(/--limit or --stop, not both/);
    expect((await cli("trading", "pause")).code).toBe(2);
  });
});
