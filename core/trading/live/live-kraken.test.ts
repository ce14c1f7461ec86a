/**
 * Core's live sessions on Kraken (public simulator + Kraken's private simulator): the dead-man's
 * switch (`CancelAllOrdersAfter`) is armed while a strategy runs, stays armed while any session of
 * the account runs, is disarmed when the last one stops, and a failed re-arm is reported.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KRAKEN_TEST_KEY, startLinkedKrakenSim } from "../../venues/kraken/private/sim-link.ts";
import type { KrakenPrivateSim } from "../../venues/kraken/private/simulator.ts";
import { holdDeadMan } from "./dead-man-hold.ts";
import type { LiveBroker } from "./live-broker.ts";
import type { LiveSpec } from "./live-service.ts";
import { ApiError } from "../../../common/api/index.ts";
import type { TradingService } from "../service.ts";
import { tradingHandlers } from "../../services/trading.ts";
import { accountHolder } from "./account-lock.ts";
import { liveView } from "./cli-support.ts";
import { BUY_ONCE_SOURCE, liveServiceBed, lockChild, until, type LiveServiceBed } from "./testing.ts";

const SPEC: LiveSpec = { source: BUY_ONCE_SOURCE, filename: "buy-once.ts", venue: "kraken", env: "live", symbol: "BTC/USD", timeframe: "1s" };

type Priv = { sim: KrakenPrivateSim; urls: { rest: string; wsAuth: string } };
let bed: LiveServiceBed<Priv>;

beforeAll(async () => {
  bed = await liveServiceBed<Priv>({ venue: "kraken", symbol: "BTC/USD", keyAccount: "kraken", key: { apiKey: KRAKEN_TEST_KEY.apiKey, apiSecret: KRAKEN_TEST_KEY.secret }, startPrivate: startLinkedKrakenSim, endpoints: (p) => ({ rest: p.urls.rest, wsApi: p.urls.wsAuth }) });
}, 30_000);

afterAll(async () => {
  await bed.close();
});

describe("live sessions on Kraken", () => {
  it("keep the dead-man's switch armed while a strategy runs and disarm it when the last one stops", async () => {
    const live = bed.service();
    expect(bed.priv.sim.deadManAt).toBe(0);
    const a = await live.deploy(SPEC, live.preview(SPEC).version);
    expect(a.status).not.toBe("failed");
    expect(bed.priv.sim.deadManAt).toBeGreaterThan(Date.now());
    await until("the fill", () => live.sessionViews()[0]!.position > 0);
    const second = { ...SPEC, filename: "buy-again.ts" };
    const b = await live.deploy(second, live.preview(second).version);
    await live.stop(a.id);
    expect(bed.priv.sim.deadManAt).toBeGreaterThan(0);
    await live.stop(b.id);
    expect(bed.priv.sim.deadManAt).toBe(0);
    expect(live.sessionViews().find((s) => s.id === a.id)!.log.some((l) => l.includes("dead-man's switch armed"))).toBe(true);
    await live.close();
  }, 60_000);

  it("refuses Deploy → Live with conflict while `workstation live` holds the account, and holds it against the CLI while it trades", async () => {
    const live = bed.service();
    const cli = await lockChild(bed.dir, "live:kraken");
    expect(cli.line).toBe("held");
    const spec = { ...SPEC, filename: "locked.ts" };
    const refused = await live.deploy(spec, live.preview(spec).version).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe("conflict");
    expect((refused as ApiError).message).toContain(`is traded by \`workstation live\` (pid ${cli.pid})`);
    expect(live.sessionViews()).toHaveLength(0);
    await cli.kill();

    const s = await live.deploy(spec, live.preview(spec).version);
    expect(accountHolder(bed.dir, "live:kraken")).toMatchObject({ pid: process.pid, holder: "core" });
    expect((await lockChild(bed.dir, "live:kraken")).line).toMatch(/^refused live:kraken is traded by the running core/);
    await live.stop(s.id);
    expect(accountHolder(bed.dir, "live:kraken")).toBeNull();
    await live.close();
  }, 60_000);

  it("numbers a resumed strategy's orders after its stored ones", async () => {
    const source = `import { defineStrategy } from "workstation";\nlet sent = false;\nexport default defineStrategy({ params: {}, onBar(bar, ctx) { if (!sent) { sent = true; ctx.buy(0.01); } } });\n`;
    const spec: LiveSpec = { ...SPEC, source, filename: "buy-each-run.ts" };
    let live = bed.service();
    const s = await live.deploy(spec, live.preview(spec).version);
    await until("the first fill", () => live.sessionViews().find((v) => v.id === s.id)!.position > 0);
    await live.close();
    live = bed.service();
    await live.resume();
    await until("the second fill", () => live.sessionViews().find((v) => v.id === s.id)!.position > 0.015);
    const mine = (await live.orders(false)).filter((o) => o.ledger === s.id);
    expect(mine.map((o) => o.strategyOrderId)).toEqual([1, 2]);
    expect(mine.every((o) => o.status === "filled")).toBe(true);
    await live.stop(s.id);
    await live.close();
  }, 60_000);

  it("shows live positions marked at the last price, merged into trading.positions, the session's equity curve, and the account's data as the CLI lists it", async () => {
    const live = bed.service();
    const spec = { ...SPEC, filename: "pnl.ts" };
    const s = await live.deploy(spec, live.preview(spec).version);
    await until("the fill and two more bars", () => live.sessionViews().find((v) => v.id === s.id)!.position > 0 && live.sessionViews().find((v) => v.id === s.id)!.equityCurve.length >= 3);
    const rows = (await live.positions()).filter((p) => p.ledger === s.id);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ account: "live:kraken", venue: "kraken", symbol: "BTC/USD", size: 0.01 });
    expect(row.last).not.toBeNull();
    expect(row.unrealizedPnl).toBeCloseTo(0.01 * (row.last! - row.avgPrice), 9);
    const merged = await tradingHandlers({ positions: () => [] } as unknown as TradingService, live)["trading.positions"]({}, {} as never);
    expect(merged).toContainEqual(expect.objectContaining({ account: "live:kraken", ledger: s.id, size: 0.01 }));
    const view = live.sessionViews().find((v) => v.id === s.id)!;
    expect(view.equity).toBe(view.equityCurve.at(-1));
    // Equity = cash + the P&L of its fills at the bar's close (fees and the position's value change): it moves by little from its first point.
    expect(Number.isFinite(view.equity)).toBe(true);
    expect(Math.abs(view.equity! - view.equityCurve[0]!)).toBeLessThan(0.01 * row.avgPrice * 0.01);
    const viaCore = await live.accountData("live:kraken");
    const inProcess = liveView(bed.dir, "live:kraken");
    expect(viaCore.orders).toEqual(inProcess.orders);
    expect(viaCore.fills).toEqual(inProcess.fills);
    expect(viaCore.positions.map(({ last: _l, unrealizedPnl: _u, realizedPnl: _r, ...p }) => p)).toEqual(inProcess.positions.map(({ last: _l, unrealizedPnl: _u, realizedPnl: _r, ...p }) => p));
    await live.stop(s.id);
    await live.close();
  }, 60_000);

  it("re-arms on schedule and reports a re-arm that fails", async () => {
    let fail = false;
    let armed: number[] = [];
    const adapter = { venue: "kraken", armDeadMan: async (t: number) => {
      if (fail) throw new Error("EService:Unavailable");
      armed.push(t);
      return { triggerTime: t };
    } };
    const broker = { adapter, accountId: "live:kraken" } as unknown as LiveBroker;
    const lines: string[] = [];
    const release = await holdDeadMan(broker, (l) => lines.push(l), { timeoutS: 1, everyMs: 20 });
    await until("a re-arm", () => armed.length >= 2);
    fail = true;
    await until("the failure report", () => lines.some((l) => l.includes("not re-armed: EService:Unavailable")));
    fail = false;
    armed = [];
    await release();
    expect(armed.at(-1)).toBe(0);
  });
});
