/**
 * Sessions of strategy alerts: the saved strategy named by the rule (the editor's library, its
 * latest version) compiled and started in a worker of the pool, like a paper session, with the
 * rule's params. A missing strategy is one clear line.
 */
import type Database from "better-sqlite3";
import type { AlertRule } from "../../common/alerts/types.ts";
import type { StrategyParams } from "../../common/strategy/api.ts";
import { loadStrategy } from "../strategy/library.ts";
import { prepareStrategy, resolveLimits } from "../strategy/runner.ts";
import { WorkerSessionHost } from "../trading/session-host.ts";
import type { WorkerPool } from "../workers/pool.ts";
import type { SignalHostFactory } from "./strategy-signals.ts";

/** The notional cash a signal session starts with (it only sizes the strategy's own orders). */
export const SIGNAL_CASH = 100_000;

/** Hosts for strategy rules from the library in `db`, on `pool`. */
export function libraryHosts(db: () => Database.Database, pool: () => WorkerPool): SignalHostFactory {
  return async (rule: AlertRule) => {
    if (rule.condition.type !== "strategy") throw new Error(`rule ${rule.id} is not a strategy rule`);
    const name = rule.condition.strategy;
    const saved = loadStrategy(db(), name);
    if (!saved) throw new Error(`no saved strategy named ${name}`);
    const prepared = await prepareStrategy(saved.source, `${saved.name}.ts`, { typecheck: false });
    return new WorkerSessionHost(pool(), {
      id: `alert:${rule.id}`,
      strategy: { code: prepared.code, sourceMap: prepared.sourceMap, filename: prepared.filename },
      symbol: rule.symbol,
      cash: SIGNAL_CASH,
      params: (rule.condition.params ?? {}) as StrategyParams,
      limits: resolveLimits(),
    });
  };
}
