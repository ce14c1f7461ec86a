/** The CLI's two ways to the order layer: the running core's API, or the app database without one. */
import { Pricing } from "../../common/strategy/engine/pricing.ts";
import { openAppDb } from "../store/app-db.ts";
import { TradingEngine } from "../trading/engine.ts";
import { DEFAULT_RISK_LIMITS } from "../trading/risk.ts";
import { SqliteTradingStore } from "../trading/store.ts";

/** Runs `fn` on the order layer restored from the app database (no core running). */
export function withStoredEngine<T>(dataDir: string, fn: (engine: TradingEngine, store: SqliteTradingStore) => T): T {
  const app = openAppDb(dataDir);
  try {
    const store = new SqliteTradingStore(app.db);
    const engine = new TradingEngine({ store, limits: DEFAULT_RISK_LIMITS, fillModel: "next-trade", pricing: new Pricing({ commission: 0, slippageBps: 0 }) });
    engine.restore();
    return fn(engine, store);
  } finally {
    app.close();
  }
}
