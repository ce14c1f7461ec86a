/**
 * Paper account resets in the trading state: per account, how many stored fills (of all accounts)
 * preceded its last reset. Those fills stay stored as history; rebuilding the account skips them.
 */
import type { TradingStore } from "./store.ts";

const RESETS_KEY = "trading.resets";

/** Records that `account` was reset when `storedFills` fills were stored. */
export function markReset(store: Pick<TradingStore, "getState" | "setState">, account: string, storedFills: number): void {
  store.setState(RESETS_KEY, { ...store.getState<Record<string, number>>(RESETS_KEY), [account]: storedFills });
}

/** Whether the stored fill at `index` (in store order) of `account` still counts: it came after the account's last reset. */
export function fillsSinceReset(store: Pick<TradingStore, "getState">): (account: string, index: number) => boolean {
  const resets = store.getState<Record<string, number>>(RESETS_KEY) ?? {};
  return (account, index) => index >= (resets[account] ?? 0);
}
