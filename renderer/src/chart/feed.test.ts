import { describe, expect, it, vi } from "vitest";
import type { ChartController, OhlcvColumns } from "./controller.ts";

/** Pending `store.candles` answers, oldest request first. */
const pending: Array<{ to: number; answer: (page: OhlcvColumns & { more: boolean }) => void }> = [];
vi.mock("../stores/connection.ts", () => ({
  api: { call: (_method: string, params: { to: number }) => new Promise((answer) => pending.push({ to: params.to, answer })) },
}));

const { ChartFeed } = await import("./feed.ts");

const MIN = 60_000;

/** A controller holding minutes `[oldest, 1000)`. */
function fakeController(oldest: number): ChartController & { oldestMinute: number } {
  const ctrl = {
    oldestMinute: oldest,
    get oldestTime() {
      return ctrl.oldestMinute * MIN;
    },
    get length() {
      return 1000 - ctrl.oldestMinute;
    },
    prependBars(page: OhlcvColumns) {
      if (page.time.length > 0) ctrl.oldestMinute = Math.min(ctrl.oldestMinute, page.time[0]! / MIN);
    },
  };
  return ctrl as unknown as ChartController & { oldestMinute: number };
}

/** A page of the `n` minutes before `toMs`. */
function page(toMs: number, n: number): OhlcvColumns & { more: boolean } {
  const time = Array.from({ length: n }, (_, i) => toMs - (n - i) * MIN);
  return { time, open: time, high: time, low: time, close: time, volume: time, more: true };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("ChartFeed.reveal", () => {
  it("waits for a page already loading (a scroll-back) and goes on until the time is loaded", async () => {
    const ctrl = fakeController(900);
    const feed = new ChartFeed(ctrl, () => undefined);
    (feed as unknown as { instrument: unknown; more: boolean }).instrument = { venue: "local", symbol: "X/USD" };
    (feed as unknown as { more: boolean }).more = true;
    void feed.loadOlder();
    expect(pending.length).toBe(1);
    let revealed: boolean | null = null;
    void feed.reveal(700 * MIN).then((r) => (revealed = r));
    await settle();
    expect(pending.length).toBe(1);
    pending.shift()!.answer(page(900 * MIN, 100));
    await settle();
    expect(revealed).toBe(null);
    expect(pending.map((p) => p.to)).toEqual([800 * MIN]);
    pending.shift()!.answer(page(800 * MIN, 100));
    await settle();
    expect(revealed).toBe(true);
    expect(ctrl.oldestMinute).toBe(700);
  });
});
