/**
 * Keeps Kraken's `CancelAllOrdersAfter` dead-man's switch armed while strategies run: armed at
 * start, re-armed every `everyMs` (well inside the timeout), disarmed (timeout 0) at stop. If the
 * workstation dies or loses the venue, the re-arms stop and Kraken cancels every open order once the
 * timeout passes. A failed re-arm is reported, not thrown: the switch still fires at its last time.
 */

/** What the keeper needs: the adapter's {@link import("./adapter.ts").KrakenExecutionAdapter.armDeadMan}. */
export interface DeadManTarget {
  armDeadMan(timeoutS: number): Promise<{ triggerTime: number }>;
}

/** The dead-man's switch of an execution adapter that has one (Kraken's), else null: a live session arms it with {@link keepDeadManArmed} while it runs. */
export function deadManOf(adapter: object): DeadManTarget | null {
  return "armDeadMan" in adapter && typeof adapter.armDeadMan === "function" ? (adapter as DeadManTarget) : null;
}

/** Options of {@link keepDeadManArmed}. */
export interface DeadManOptions {
  timeoutS: number;
  everyMs: number;
  /** A re-arm failed (one line). */
  failed(reason: string): void;
  /** Replaces `setInterval` (tests drive the re-arms themselves). */
  schedule?: (tick: () => void, everyMs: number) => { cancel(): void };
}

/** Arms the switch and keeps re-arming it; `stop()` stops re-arming and disarms it. */
export async function keepDeadManArmed(target: DeadManTarget, o: DeadManOptions): Promise<{ stop(): Promise<void> }> {
  await target.armDeadMan(o.timeoutS);
  const rearm = () => {
    target.armDeadMan(o.timeoutS).catch((err: unknown) => o.failed(`kraken dead-man's switch not re-armed: ${err instanceof Error ? err.message : String(err)}`));
  };
  const schedule =
    o.schedule ??
    ((tick: () => void, everyMs: number) => {
      const timer = setInterval(tick, everyMs);
      return { cancel: () => clearInterval(timer) };
    });
  const handle = schedule(rearm, o.everyMs);
  return {
    stop: async () => {
      handle.cancel();
      await target.armDeadMan(0);
    },
  };
}
