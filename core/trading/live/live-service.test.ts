import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "../../../common/api/index.ts";
import { startLinkedPrivateSim } from "../../venues/binance/private/sim-link.ts";
import type { BinancePrivateSim } from "../../venues/binance/private/simulator.ts";
import { TEST_KEY } from "../../venues/binance/private/testing.ts";
import type { LiveSpec } from "./live-service.ts";
import { BUY_ONCE_SOURCE as SOURCE, liveServiceBed, until, type LiveServiceBed } from "./testing.ts";

const SPEC: LiveSpec = { source: SOURCE, filename: "buy-once.ts", venue: "binance", env: "testnet", symbol: "BTC/USDT", timeframe: "1s" };

type Priv = { sim: BinancePrivateSim; urls: { rest: string; wsApi: string } };
let bed: LiveServiceBed<Priv>;

beforeAll(async () => {
  bed = await liveServiceBed<Priv>({ venue: "binance", symbol: "BTC/USDT", keyAccount: "binance-testnet", key: { apiKey: TEST_KEY.apiKey, apiSecret: TEST_KEY.secret }, startPrivate: startLinkedPrivateSim, endpoints: (p) => p.urls });
}, 30_000);

afterAll(async () => {
  await bed.close();
});

const service = () => bed.service();

describe("live sessions in core", () => {
  it("previews the approval, deploys only with the confirmed version, fills, resumes after a restart reconciled without doubling, halts and stops", async () => {
    let live = service();
    const preview = live.preview(SPEC);
    expect(preview).toMatchObject({ strategy: "buy-once.ts", venue: "binance", env: "testnet", account: "live:binance", symbol: "BTC/USDT", timeframe: "1s", approved: false, lastApproved: null, diff: [] });
    expect(preview.version).toMatch(/^[0-9a-f]{12}$/);
    expect(preview.limits.maxOrderNotional).toBe(1_000_000);
    expect(preview.limits.maxPosition).toBeNull();
    await expect(live.deploy(SPEC, "000000000000")).rejects.toThrow(ApiError);
    expect(bed.priv.sim.orderRequests).toHaveLength(0);

    const session = await live.deploy(SPEC, preview.version);
    expect(session).toMatchObject({ live: true, account: "live:binance", env: "testnet", version: preview.version });
    await until("the fill", () => live.sessionViews()[0]!.position > 0);
    expect(await live.orders(false)).toHaveLength(1);
    expect((await live.accounts())[0]).toMatchObject({ id: "live:binance", env: "testnet", mode: "normal" });

    // A changed strategy needs approval again; the preview shows the diff.
    const changed = live.preview({ ...SPEC, source: SOURCE.replace("0.01", "0.02") });
    expect(changed.approved).toBe(false);
    expect(changed.diff.some((l) => l.startsWith("+ ") && l.includes("0.02"))).toBe(true);

    // Core restarts: the session is resumed, reconciled; the strategy sees its position and buys nothing more.
    await live.close();
    live = service();
    await live.resume();
    const resumed = live.sessionViews();
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({ id: session.id, status: "running", position: 0.01 });
    await until("a few bars", () => live.sessionViews()[0]!.bars >= 2);
    expect(await live.orders(false)).toHaveLength(1);
    expect(bed.priv.sim.orderRequests).toHaveLength(1);

    expect(await live.mode("live:binance", "halt")).toBe("halt");
    expect(await live.mode("live:binance")).toBe("halt");
    const stopped = await live.stop(session.id);
    expect(stopped.status).toBe("stopped");
    await live.close();
  }, 60_000);
});
