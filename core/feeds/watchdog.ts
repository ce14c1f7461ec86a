/**
 * Silence watchdog of one connection. Every received message (or pong) calls `kick()`, which only
 * stores the time: no timer churn at high message rates. One timer wakes at the earliest moment the
 * connection could be idle for `pingMs` (send a ping once) or silent for `silenceMs` (declare it
 * dead); if something arrived meanwhile it simply sleeps again for the remaining time.
 */
import type { Clock, TimerHandle } from "./clock.ts";

/** Options of {@link Watchdog}. */
export interface WatchdogOptions {
  clock: Clock;
  /** Silence after which the connection is considered dead. */
  silenceMs: number;
  /** Idle time after which a ping is sent (once per idle period); omit for no pings. */
  pingMs?: number;
  onPing?: () => void;
  onSilence: (silentMs: number) => void;
}

/** Watches one connection for silence. */
export class Watchdog {
  private last = 0;
  private pinged = false;
  private timer: TimerHandle | null = null;
  private readonly options: WatchdogOptions;

  constructor(options: WatchdogOptions) {
    this.options = options;
  }

  /** Starts watching from now. */
  start(): void {
    this.last = this.options.clock.now();
    this.pinged = false;
    this.arm();
  }

  /** Something arrived (at `now`, when the caller already read the clock). */
  kick(now = this.options.clock.now()): void {
    this.last = now;
    this.pinged = false;
  }

  /** Stops watching. */
  stop(): void {
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Milliseconds since the last kick. */
  idleMs(): number {
    return this.options.clock.now() - this.last;
  }

  private arm(): void {
    const { pingMs, silenceMs } = this.options;
    const idle = this.idleMs();
    const nextPing = pingMs !== undefined && !this.pinged ? pingMs - idle : Infinity;
    const wait = Math.max(0, Math.min(nextPing, silenceMs - idle));
    this.timer = this.options.clock.setTimeout(() => this.fire(), wait);
  }

  private fire(): void {
    this.timer = null;
    const idle = this.idleMs();
    if (idle >= this.options.silenceMs) {
      this.options.onSilence(idle);
      return;
    }
    if (this.options.pingMs !== undefined && !this.pinged && idle >= this.options.pingMs) {
      this.pinged = true;
      this.options.onPing?.();
    }
    this.arm();
  }
}
