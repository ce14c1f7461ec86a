/**
 * Live trading environments per venue and where they live: Binance has live, Spot Testnet and Demo
 * Mode; Kraken has no spot testnet (its `validate` environment sends orders with `validate: true`,
 * which the venue checks and does not execute); Coinbase Advanced Trade has live only. An
 * environment a venue lacks is refused naming the ones it has. `WORKSTATION_LIVE_ENDPOINTS`
 * (JSON `{"binance":{"rest":"http://…","wsApi":"ws://…"}}`; `wsApi` is Kraken's authenticated WS v2
 * and Coinbase's user-data WebSocket) points a venue at another server — the simulator — for every
 * environment.
 */

/** A trading environment. */
export type LiveEnv = "live" | "testnet" | "demo" | "validate";

/** Every environment name. */
export const LIVE_ENVS: readonly LiveEnv[] = ["live", "testnet", "demo", "validate"];

/** The private endpoints of one environment. */
export interface LiveEndpoints {
  rest: string;
  wsApi: string;
}

const ENDPOINTS: Record<string, Partial<Record<LiveEnv, LiveEndpoints>>> = {
  binance: {
    live: { rest: "https://api.binance.com", wsApi: "wss://ws-api.binance.com:443/ws-api/v3" },
    testnet: { rest: "https://testnet.binance.vision", wsApi: "wss://ws-api.testnet.binance.vision/ws-api/v3" },
    demo: { rest: "https://demo-api.binance.com", wsApi: "wss://demo-ws-api.binance.com/ws-api/v3" },
  },
  kraken: {
    live: { rest: "https://api.kraken.com", wsApi: "wss://ws-auth.kraken.com/v2" },
    validate: { rest: "https://api.kraken.com", wsApi: "wss://ws-auth.kraken.com/v2" },
  },
  coinbase: {
    live: { rest: "https://api.coinbase.com", wsApi: "wss://advanced-trade-ws-user.coinbase.com" },
  },
};

/** Venues whose execution adapter exists. */
export const LIVE_VENUES_READY: ReadonlySet<string> = new Set(["binance", "kraken", "coinbase"]);

/** The environments a venue has. */
export function envsOf(venue: string): LiveEnv[] {
  return LIVE_ENVS.filter((e) => ENDPOINTS[venue]?.[e] !== undefined);
}

/** Checks a venue and environment; throws a one-line Error naming what exists. */
export function checkEnv(venue: string, env: string): LiveEnv {
  if (!(venue in ENDPOINTS)) throw new Error(`live trading: unknown venue "${venue}" (venues: ${Object.keys(ENDPOINTS).join(", ")})`);
  const has = envsOf(venue);
  if (!has.includes(env as LiveEnv)) throw new Error(`live trading: ${venue} has no "${env}" environment (it has: ${has.join(", ")})`);
  if (!LIVE_VENUES_READY.has(venue)) throw new Error(`live trading: the ${venue} execution adapter is not built yet (built: ${[...LIVE_VENUES_READY].join(", ")})`);
  return env as LiveEnv;
}

/** The endpoints of a venue's environment (the `WORKSTATION_LIVE_ENDPOINTS` override first). */
export function endpointsOf(venue: string, env: LiveEnv, processEnv: NodeJS.ProcessEnv): LiveEndpoints {
  const raw = processEnv.WORKSTATION_LIVE_ENDPOINTS;
  if (raw) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error("WORKSTATION_LIVE_ENDPOINTS is not JSON");
    }
    const o = (parsed as Record<string, Partial<LiveEndpoints>> | null)?.[venue];
    if (o && typeof o.rest === "string" && typeof o.wsApi === "string") return { rest: o.rest, wsApi: o.wsApi };
  }
  const e = ENDPOINTS[venue]?.[env];
  if (!e) throw new Error(`live trading: ${venue} has no "${env}" environment`);
  return e;
}

/** The keychain entry of a venue's environment: `binance` for live, `binance-testnet`, `binance-demo`… */
export function keyAccount(venue: string, env: LiveEnv): string {
  return env === "live" ? venue : `${venue}-${env}`;
}
