import { describe, expect, it } from "vitest";
import type { TradingOrder } from "../../../common/trading/orders.ts";
import { isTrading } from "./activity.ts";

const idle = { mode: "normal" as const, orders: [], sessions: [{ status: "stopped" as const }, { status: "failed" as const }] };

describe("the top bar's kill switch rule", () => {
  it("shows it while a session runs or starts, an order is open, or trading is halted or reduce-only", () => {
    expect(isTrading(idle)).toBe(false);
    expect(isTrading({ ...idle, sessions: [{ status: "running" }] })).toBe(true);
    expect(isTrading({ ...idle, sessions: [{ status: "starting" }] })).toBe(true);
    expect(isTrading({ ...idle, orders: [{ id: "o1" } as TradingOrder] })).toBe(true);
    expect(isTrading({ ...idle, mode: "halt" })).toBe(true);
    expect(isTrading({ ...idle, mode: "reduce-only" })).toBe(true);
  });
});
