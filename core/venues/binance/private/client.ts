/**
 * Binance spot private REST client: signed requests (HMAC-SHA256 or Ed25519) with the server-time
 * offset applied to `timestamp`, every answer's `X-MBX-*` headers fed to the key's {@link RateBudget},
 * and each answer classified — an answer that is an order is `ok`, a `{code,msg}` body with a 4xx is
 * `error` (the venue refused), and a timeout, a dropped connection, a 5xx or `-1007` is `unknown`
 * (the request may have been executed). Raw answers that do not parse are logged with the key and
 * signatures redacted.
 */
import { measureOffset, skewProblem, type ClockOffset } from "../../../trading/live/clock.ts";
import { RateBudget } from "../../../trading/live/rate-budget.ts";
import { parseError, type BinanceError } from "./parse.ts";
import { RECV_WINDOW_MS, signedQuery, type BinanceKey, type ParamValue } from "./sign.ts";

/** Binance's request-weight and order-count limits for spot (per IP / per account). */
export const BINANCE_LIMITS = { "X-MBX-USED-WEIGHT-1M": 6000, "X-MBX-ORDER-COUNT-10S": 100, "X-MBX-ORDER-COUNT-1D": 200_000 } as const;

/** A classified answer. */
export type RestOutcome =
  | { kind: "ok"; body: unknown }
  | { kind: "error"; status: number; error: BinanceError }
  | { kind: "throttled"; status: 429 | 418; retryAfterS: number }
  | { kind: "unknown"; reason: string };

/** Options of a {@link BinancePrivateClient}. */
export interface BinanceClientOptions {
  baseUrl: string;
  key: BinanceKey;
  budget?: RateBudget;
  timeoutMs?: number;
  recvWindow?: number;
  log?: (line: string) => void;
  now?: () => number;
}

/** Error codes after which the order's fate is not known (Binance: "execution status unknown"). */
export const UNKNOWN_CODES: ReadonlySet<number> = new Set([-1007, -1006]);

/** Replaces the API key and every `signature=` value in `text`. */
export function redact(text: string, apiKey: string): string {
  const out = text.replace(/signature=[^&"\s]*/g, "signature=<redacted>");
  return apiKey.length > 0 ? out.split(apiKey).join("<api-key>") : out;
}

/** The signed REST face of one key on one Binance environment. */
export class BinancePrivateClient {
  readonly budget: RateBudget;
  private readonly opts: BinanceClientOptions;
  private offsetMs = 0;

  constructor(opts: BinanceClientOptions) {
    this.opts = opts;
    this.budget = opts.budget ?? new RateBudget(BINANCE_LIMITS);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Measures the server-time offset; throws the clock-skew refusal when it is past `recvWindow`. */
  async syncTime(): Promise<ClockOffset> {
    const sent = this.now();
    const r = await this.send("GET", "/api/v3/time", [], false);
    if (r.kind !== "ok") throw new Error(`binance time: ${describeOutcome(r)}`);
    const serverTime = (r.body as { serverTime?: unknown }).serverTime;
    if (typeof serverTime !== "number") throw new Error("binance time: no serverTime in the answer");
    const offset = measureOffset(sent, serverTime, this.now());
    const problem = skewProblem("binance", offset, this.opts.recvWindow ?? RECV_WINDOW_MS);
    if (problem) throw new Error(problem);
    this.offsetMs = offset.offsetMs;
    return offset;
  }

  /** A signed request; `costs` are what it adds to the budget's counters (checked before sending). */
  async signed(method: "GET" | "POST" | "DELETE", path: string, params: ReadonlyArray<readonly [string, ParamValue]>, costs: Record<string, number> = {}): Promise<RestOutcome> {
    const refusal = this.budget.check(this.now(), costs);
    if (refusal) return refusal.kind === "stopped" ? { kind: "throttled", status: 418, retryAfterS: Infinity } : { kind: "throttled", status: 429, retryAfterS: Math.ceil((refusal.untilMs - this.now()) / 1000) };
    return this.send(method, path, params, true);
  }

  /** An unsigned request (public endpoints). */
  async public(path: string, params: ReadonlyArray<readonly [string, ParamValue]> = []): Promise<RestOutcome> {
    return this.send("GET", path, params, false);
  }

  private async send(method: string, path: string, params: ReadonlyArray<readonly [string, ParamValue]>, sign: boolean): Promise<RestOutcome> {
    const { key } = this.opts;
    const query = sign ? signedQuery(params, key, this.now() + this.offsetMs, this.opts.recvWindow ?? RECV_WINDOW_MS) : params.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join("&");
    const url = `${this.opts.baseUrl}${path}${query ? `?${query}` : ""}`;
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { method, headers: sign ? { "X-MBX-APIKEY": key.apiKey } : {}, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
      text = await res.text();
    } catch (err) {
      return { kind: "unknown", reason: `no answer from binance (${err instanceof Error ? err.message : String(err)})` };
    }
    const headers = Object.fromEntries(res.headers.entries());
    this.budget.observe(this.now(), res.status, headers);
    if (res.status === 429 || res.status === 418) return { kind: "throttled", status: res.status, retryAfterS: Number(headers["retry-after"] ?? "60") || 60 };
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      this.opts.log?.(`binance ${method} ${path}: HTTP ${res.status}, answer is not JSON: ${redact(text.slice(0, 500), key.apiKey)}`);
      return { kind: "unknown", reason: `HTTP ${res.status} with an answer that is not JSON` };
    }
    const error = parseError(body);
    if (res.status >= 500 || (error && UNKNOWN_CODES.has(error.code))) return { kind: "unknown", reason: error ? `${error.code} ${error.msg}` : `HTTP ${res.status}` };
    if (error || res.status >= 400) return { kind: "error", status: res.status, error: error ?? { code: 0, msg: `HTTP ${res.status}` } };
    return { kind: "ok", body };
  }
}

/** One line describing an outcome that is not `ok`. */
export function describeOutcome(r: RestOutcome): string {
  if (r.kind === "ok") return "ok";
  if (r.kind === "error") return `${r.error.code} ${r.error.msg}`;
  if (r.kind === "throttled") return r.status === 418 ? "rate-limit: HTTP 418, the IP is banned; trading stopped" : `rate-limit: HTTP 429, retry after ${r.retryAfterS} s`;
  return r.reason;
}
