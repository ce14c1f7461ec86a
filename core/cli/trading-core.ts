/** The CLI's two ways to the order layer: the running core's API, or the app database without one. */
import type { ApiClient } from "../../common/api/client.ts";
import { ApiError } from "../../common/api/index.ts";
import { Pricing } from "../../common/strategy/engine/pricing.ts";
import { openAppDb } from "../store/app-db.ts";
import { TradingEngine } from "../trading/engine.ts";
import { DEFAULT_RISK_LIMITS } from "../trading/risk.ts";
import { SqliteTradingStore } from "../trading/store.ts";
import { connectToRunningCore } from "./core-client.ts";

/** Runs `viaCore` on the running core's API (errors become one-line Errors), or null without a core. */
export async function withCore<T>(dataDir: string, viaCore: (client: ApiClient) => Promise<T>): Promise<{ value: T } | null> {
  const client = await connectToRunningCore(dataDir);
  if (!client) return null;
  try {
    return { value: await viaCore(client) };
  } catch (err) {
    throw err instanceof ApiError ? new Error(err.message) : err;
  } finally {
    client.close();
  }
}

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
