/**
 * The full results of the assistant's recent backtests (equity curve, trades, orders), kept in
 * core's memory for the results panel: the chat only carries metrics, and the saved run record
 * has no equity curve. The oldest are dropped beyond a small count.
 */
import type { AssistantBacktestResult } from "../../common/api/assistant.ts";

/** Recent full results by id. */
export class ResultCache {
  private readonly max: number;
  private readonly items = new Map<string, AssistantBacktestResult>();
  private counter = 0;

  constructor(max = 8) {
    this.max = max;
  }

  /** Stores a result (without its id) and returns the id given to it. */
  put(result: Omit<AssistantBacktestResult, "resultId">): string {
    const resultId = `bt-${Date.now().toString(36)}-${++this.counter}`;
    this.items.set(resultId, { ...result, resultId });
    while (this.items.size > this.max) this.items.delete(this.items.keys().next().value!);
    return resultId;
  }

  /** A result, or undefined when it was dropped (or never existed). */
  get(resultId: string): AssistantBacktestResult | undefined {
    return this.items.get(resultId);
  }
}
