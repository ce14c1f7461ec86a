import { describe, expect, it } from "vitest";
import { fillLabel } from "../../../common/api/trading.ts";
import { INITIAL_FILL_FORM, parseFill } from "./fill-form.ts";

describe("Deploy → Paper fill fields", () => {
  it("read fees in % into rates, and open on core's defaults", () => {
    expect(parseFill(INITIAL_FILL_FORM)).toEqual({ fillModel: "book", makerFee: 0.001, takerFee: 0.001, slippageBps: 0, latencyMs: 0 });
    const tuned = parseFill({ fillModel: "next-trade", makerPct: "0.2", takerPct: "0.2", slippageBps: "5", latencyMs: "20" });
    expect(tuned).toEqual({ fillModel: "next-trade", makerFee: 0.002, takerFee: 0.002, slippageBps: 5, latencyMs: 20 });
    expect(fillLabel(tuned as Exclude<typeof tuned, string>)).toBe("next-trade · fees 0.2%/0.2% · slip 5 bps · 20 ms");
  });

  it("name the first field that is not a number in range", () => {
    expect(parseFill({ ...INITIAL_FILL_FORM, takerPct: "" })).toBe("Taker fee % must be a number from 0 to 50");
    expect(parseFill({ ...INITIAL_FILL_FORM, latencyMs: "-1" })).toBe("Latency (ms) must be a number from 0 to 60000");
  });
});
