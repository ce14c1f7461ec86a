/**
 * Test support: a strategy session run in this process (the kernel without the sandbox), for tests
 * of the live paths — paper runners and strategy-signal alerts — that need no worker.
 */
import type { StrategyDefinition, StrategyParams } from "../../common/strategy/api.ts";
import { StrategySession } from "../../common/strategy/engine/session.ts";
import type { SessionHost } from "./session-host.ts";

/** A {@link SessionHost} running `definition` in this process. */
export function inProcessHost(definition: StrategyDefinition<StrategyParams, unknown>, cash = 10_000): SessionHost {
  let session: StrategySession | null = null;
  return {
    restarts: 0,
    start: async () => (session = new StrategySession(definition, { symbol: "BTC/USD", cash })).resolvedParams,
    step: async (bar, events, warm) => session!.step(bar, events, warm),
    stop: async () => undefined,
  };
}
