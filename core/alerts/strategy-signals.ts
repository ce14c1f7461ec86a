/**
 * The strategy rules of an alert evaluation (live service or `alerts test --replay`): one
 * {@link SignalRunner} per rule, fed the same trades and venue clock as the {@link AlertEngine}'s
 * rules. Sessions step asynchronously (each on a worker), so trades are handled one at a time on a
 * serial chain, every runner's step finishing before the next trade; `drained()` waits for it. A
 * rule whose strategy cannot be loaded or stops with an error pauses with the reason.
 */
import type { AlertTrade } from "../../common/alerts/engine.ts";
import type { RuleFiringState, RuleOutput } from "../../common/alerts/rule-runner.ts";
import type { AlertRule } from "../../common/alerts/types.ts";
import type { SessionHost } from "../trading/session-host.ts";
import { SignalRunner } from "./signal-runner.ts";

/** Starts the session of a strategy rule (loads and compiles the saved strategy); throws with a one-line reason. */
export type SignalHostFactory = (rule: AlertRule) => Promise<SessionHost>;

/** Strategy rules on one serial chain. */
export class StrategySignals {
  private readonly runners = new Map<string, SignalRunner>();
  private readonly output: RuleOutput;
  private readonly hosts: SignalHostFactory;
  private chain: Promise<void> = Promise.resolve();

  constructor(output: RuleOutput, hosts: SignalHostFactory) {
    this.output = output;
    this.hosts = hosts;
  }

  /**
   * Adds (or replaces) a strategy rule; its session starts on the chain, before the next trade.
   * Trades before `from` (venue ms: where the rule started, when a catch-up reads further back for
   * other rules) are not its own: its session never sees them, so it starts where it started live.
   */
  add(rule: AlertRule, firing?: RuleFiringState, from = -Infinity): void {
    this.remove(rule.id);
    const runner = new SignalRunner(rule, lazyHost(() => this.hosts(rule)), this.output, firing, from);
    this.runners.set(rule.id, runner);
    this.enqueue(() =>
      runner.start().catch((err: Error) => {
        runner.paused = `the strategy did not start: ${err.message}`;
        this.output.pause({ rule: rule.id, time: 0, reason: runner.paused });
      }),
    );
  }

  /** Whether `id` is a strategy rule here. */
  has(id: string): boolean {
    return this.runners.has(id);
  }

  /** Removes a rule (its session stops on the chain); false when there was none. */
  remove(id: string): boolean {
    const runner = this.runners.get(id);
    if (!runner) return false;
    this.runners.delete(id);
    this.enqueue(() => runner.stop());
    return true;
  }

  /** Pauses (with a reason) or resumes a rule; false when there is none. */
  setPaused(id: string, reason: string | null): boolean {
    const runner = this.runners.get(id);
    if (!runner) return false;
    // Resuming a rule whose strategy failed starts its session again, from the next trade.
    if (reason === null && runner.status !== "running") this.add(runner.rule, { firedOnce: runner.firedOnce, paused: null });
    else runner.paused = reason;
    return true;
  }

  /** A rule's firing state, for persistence. */
  firing(id: string): RuleFiringState | null {
    const r = this.runners.get(id);
    return r ? { firedOnce: r.firedOnce, paused: r.paused } : null;
  }

  /** A trade of `venue`: every runner on its symbol takes its bar step. */
  onTrade(venue: string, trade: AlertTrade): void {
    const runners = this.on(venue, trade.symbol).filter((r) => trade.ts >= r.from);
    if (runners.length === 0) return;
    const t = { ts: trade.ts, priceText: trade.price, sizeText: trade.size };
    this.enqueue(async () => {
      await Promise.all(runners.map((r) => r.barOn(t)));
    });
  }

  /** Live: the venue clock closes bars it has passed (plus grace). */
  onClock(venue: string, venueNow: number): void {
    const runners = [...this.runners.values()].filter((r) => r.rule.venue === venue);
    if (runners.length > 0) this.enqueue(async () => void (await Promise.all(runners.map((r) => r.onClock(venueNow)))));
  }

  /** End of a replay: every forming bar closes and the sessions stop. */
  flush(): void {
    const runners = [...this.runners.values()];
    this.enqueue(async () => void (await Promise.all(runners.map((r) => r.finish()))));
  }

  /** Stops every session. */
  async close(): Promise<void> {
    for (const id of [...this.runners.keys()]) this.remove(id);
    await this.drained();
  }

  /** Resolves once everything queued so far was handled. */
  async drained(): Promise<void> {
    let seen: Promise<void> | null = null;
    while (seen !== this.chain) {
      seen = this.chain;
      await this.chain;
    }
  }

  private on(venue: string, symbol: string): SignalRunner[] {
    return [...this.runners.values()].filter((r) => r.rule.venue === venue && r.rule.symbol === symbol);
  }

  private enqueue(work: () => Promise<unknown>): void {
    this.chain = this.chain.then(work).then(
      () => undefined,
      () => undefined,
    );
  }
}

/** A host made when the session starts (the strategy loads and compiles on the chain). */
function lazyHost(make: () => Promise<SessionHost>): SessionHost {
  let host: SessionHost | null = null;
  return {
    start: async () => (host ??= await make()).start(),
    step: (bar, events, warm) => host!.step(bar, events, warm),
    stop: async () => host?.stop(),
    get restarts() {
      return host?.restarts ?? 0;
    },
  };
}
