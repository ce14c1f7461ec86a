/**
 * Alert rules over a recorded venue session, offline and in process: the recording goes through the
 * venue's handler (the live parse code), its trades through the same {@link AlertEngine} the live
 * service runs — and strategy rules through the same {@link StrategySignals} sessions — and the last
 * forming bar of each series closes at its end when the file ends. No core, no instrument cache:
 * what `workstation alerts test` prints.
 */
import { AlertEngine } from "../../common/alerts/engine.ts";
import type { AlertPause, AlertRule, KeyedFire } from "../../common/alerts/types.ts";
import type { VenueId } from "../../common/market/events.ts";
import { createHandler } from "../venues/index.ts";
import { replayFile } from "../venues/replay.ts";
import { StrategySignals, type SignalHostFactory } from "./strategy-signals.ts";

/** What a replay reports besides fires. */
export interface AlertReplayOutput {
  fire(fire: KeyedFire): void;
  pause(pause: AlertPause): void;
  remark(text: string): void;
}

/**
 * Runs `rules` over the recording at `file` of `venue`; resolves with the number of trades seen.
 * Strategy rules need `hosts` (their sessions); without it they are refused.
 */
export async function replayAlerts(rules: readonly AlertRule[], file: string, venue: VenueId, output: AlertReplayOutput, hosts?: SignalHostFactory): Promise<number> {
  const engine = new AlertEngine(output);
  const signals = new StrategySignals(output, hosts ?? (() => Promise.reject(new Error("strategy alerts need their strategy sessions"))));
  for (const rule of rules) {
    if (rule.condition.type === "screen") throw new Error(`rule ${rule.id}: condition.type: a screen rule runs on the store's bars in core, not on a recording`);
    if (rule.condition.type === "strategy") signals.add(rule);
    else engine.add(rule);
  }
  let trades = 0;
  try {
    await replayFile(file, createHandler(venue), {
      event: (e) => {
        if (e.type !== "trade") return;
        trades++;
        engine.onTrade(venue, e);
        signals.onTrade(venue, e);
      },
      remark: output.remark,
    });
    engine.flush();
    signals.flush();
    await signals.drained();
  } finally {
    await signals.close();
  }
  return trades;
}
