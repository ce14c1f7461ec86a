/** The Deploy → Paper dialog's fill fields: as typed (fees in %), and read into fill settings. */
import type { PaperFillView } from "../../../common/api/trading.ts";

/** The dialog's fields, as typed (fees in %). */
export interface FillForm {
  fillModel: PaperFillView["fillModel"];
  makerPct: string;
  takerPct: string;
  slippageBps: string;
  latencyMs: string;
}

/** What the dialog opens with: core's defaults. */
export const INITIAL_FILL_FORM: FillForm = { fillModel: "book", makerPct: "0.1", takerPct: "0.1", slippageBps: "0", latencyMs: "0" };

/** The form as fill settings, or the first field that is not a number in range. */
export function parseFill(f: FillForm): PaperFillView | string {
  const num = (text: string, label: string, max: number): number | string => {
    const n = Number(text);
    return text.trim() !== "" && Number.isFinite(n) && n >= 0 && n <= max ? n : `${label} must be a number from 0 to ${max}`;
  };
  const maker = num(f.makerPct, "Maker fee %", 50);
  const taker = num(f.takerPct, "Taker fee %", 50);
  const slip = num(f.slippageBps, "Slippage (bps)", 10_000);
  const latency = num(f.latencyMs, "Latency (ms)", 60_000);
  for (const v of [maker, taker, slip, latency]) if (typeof v === "string") return v;
  return { fillModel: f.fillModel, makerFee: (maker as number) / 100, takerFee: (taker as number) / 100, slippageBps: slip as number, latencyMs: Math.round(latency as number) };
}
