/**
 * Keeps a venue's dead-man's switch (Kraken's `CancelAllOrdersAfter`) armed while at least one
 * strategy runs on a live broker: the first session armed it, each further session only counts, and
 * the last one to stop disarms it. Brokers whose adapter has no switch (Binance, Coinbase) are left
 * alone. A failed re-arm is reported through the session's log (the switch still fires at its last
 * trigger time, cancelling the account's open orders).
 */
import { deadManOf, keepDeadManArmed, type DeadManOptions } from "../../venues/kraken/private/dead-man.ts";
import type { LiveBroker } from "./live-broker.ts";

/** Default switch timeout: Kraken's documentation suggests 60 s re-armed every 15–30 s. */
export const DEAD_MAN_TIMEOUT_S = 60;
/** Default re-arm period. */
export const DEAD_MAN_EVERY_MS = 20_000;

/** The switch's timing (tests shorten it). */
export type DeadManTiming = Pick<DeadManOptions, "timeoutS" | "everyMs">;

interface Hold {
  count: number;
  keeper: Promise<{ stop(): Promise<void> }>;
}

const holds = new WeakMap<LiveBroker, Hold>();

/**
 * Holds the broker's dead-man's switch armed for one session; resolves once it is armed (throws if
 * the first arming fails: the session must not trade unprotected). The returned release disarms it
 * when the last session of the broker lets go.
 */
export async function holdDeadMan(broker: LiveBroker, log: (line: string) => void, timing: DeadManTiming = { timeoutS: DEAD_MAN_TIMEOUT_S, everyMs: DEAD_MAN_EVERY_MS }): Promise<() => Promise<void>> {
  const target = deadManOf(broker.adapter);
  if (!target) return async () => undefined;
  let hold = holds.get(broker);
  if (!hold) {
    const keeper = keepDeadManArmed(target, { ...timing, failed: log });
    hold = { count: 0, keeper };
    holds.set(broker, hold);
    keeper.then(
      () => log(`${broker.accountId}: dead-man's switch armed (orders cancelled ${timing.timeoutS} s after the workstation stops re-arming it)`),
      () => holds.delete(broker),
    );
  }
  hold.count += 1;
  const current = hold;
  try {
    await current.keeper;
  } catch (err) {
    throw new Error(`${broker.accountId}: the dead-man's switch could not be armed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    current.count -= 1;
    if (current.count > 0 || holds.get(broker) !== current) return;
    holds.delete(broker);
    await (await current.keeper).stop().catch((err: unknown) => log(`${broker.accountId}: dead-man's switch not disarmed: ${err instanceof Error ? err.message : String(err)}`));
  };
}
