/**
 * Coinbase Advanced Trade private REST client: every request carries its own CDP JWT (`Authorization:
 * Bearer`, `uri` = `"<METHOD> <host><path>"`, signed with the server-time offset applied), the
 * `x-ratelimit-limit` / `-remaining` / `-reset` headers keep a per-key budget (nothing is sent
 * while it is spent: a short wait is waited out, a longer one answered `throttled`; a 429 blocks
 * until its `Retry-After` or the reset), and each answer is classified: a
 * 2xx body is `ok`, a 4xx error body is `error` (the venue refused), a 429 is `throttled`, and a
 * timeout, a dropped connection, a 5xx or an answer that is not JSON is `unknown` (the request may
 * have been executed). Raw answers that do not parse are logged with the key name and tokens redacted.
 */
import { measureOffset, skewProblem } from "../../../trading/live/clock.ts";
import { cdpJwt, cdpPrivateKey, type CdpKey } from "./jwt.ts";
import { parseError, parseServerTime } from "./parse.ts";

/** How far the local clock may be from Coinbase's (a JWT lives 120 s). */
export const COINBASE_MAX_SKEW_MS = 30_000;

/** A classified answer. */
export type CoinbaseOutcome =
  | { kind: "ok"; body: unknown }
  | { kind: "error"; status: number; error: string; message: string }
  | { kind: "throttled"; retryAfterMs: number; reason: string }
  | { kind: "unknown"; reason: string };

/** Options of a {@link CoinbasePrivateClient}. */
export interface CoinbaseClientOptions {
  baseUrl: string;
  key: CdpKey;
  timeoutMs?: number;
  /** Longest wait for the rate budget before a request is answered `throttled` unsent (default 2 s). */
  maxBudgetWaitMs?: number;
  log?: (line: string) => void;
  now?: () => number;
}

/** Replaces the key name and every JWT (`eyJ…`) in `text`. */
export function redactCoinbase(text: string, keyName: string): string {
  const out = text.replace(/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g, "<jwt>");
  return keyName.length > 0 ? out.split(keyName).join("<key-name>") : out;
}

/** The signed REST face of one CDP key. */
export class CoinbasePrivateClient {
  private readonly opts: CoinbaseClientOptions;
  private readonly host: string;
  private offsetMs = 0;
  /** Requests left in the current window (null until a header said), and when it resets (ms). */
  private remaining: number | null = null;
  private resetAt = 0;
  private blockedUntil = 0;

  /** Throws a one-line Error when the secret is not a CDP key. */
  constructor(opts: CoinbaseClientOptions) {
    this.opts = opts;
    this.host = new URL(opts.baseUrl).host;
    try {
      cdpPrivateKey(opts.key.secret);
    } catch (err) {
      throw new Error(`the Coinbase secret is not a CDP key (an EC private key in PEM, or base64 of an Ed25519 key): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Measures the server-time offset (`GET /api/v3/brokerage/time`); throws the clock-skew refusal past {@link COINBASE_MAX_SKEW_MS}. */
  async syncTime(): Promise<void> {
    const sent = this.now();
    const r = await this.send("GET", "/api/v3/brokerage/time", "", undefined, false);
    if (r.kind !== "ok") throw new Error(`coinbase time: ${describeCoinbase(r)}`);
    const offset = measureOffset(sent, parseServerTime(r.body), this.now());
    const problem = skewProblem("coinbase", offset, COINBASE_MAX_SKEW_MS);
    if (problem) throw new Error(problem);
    this.offsetMs = offset.offsetMs;
  }

  /** A JWT for the WebSocket `user` channel (no `uri`). */
  wsJwt(): string {
    return cdpJwt(this.opts.key, null, Math.floor((this.now() + this.offsetMs) / 1000));
  }

  /**
   * A signed request; `query` without `?`, `body` sent as JSON. While the budget is spent (a 429's
   * `Retry-After`, or `x-ratelimit-remaining` 0 until the reset) it waits up to `maxBudgetWaitMs`
   * before sending, and past that answers `throttled` without sending.
   */
  async request(method: "GET" | "POST", path: string, query = "", body?: unknown): Promise<CoinbaseOutcome> {
    const wait = this.budgetWait();
    if (wait !== null && wait.ms > (this.opts.maxBudgetWaitMs ?? 2000)) return { kind: "throttled", retryAfterMs: wait.ms, reason: wait.reason };
    if (wait !== null) await new Promise<void>((r) => setTimeout(r, wait.ms));
    return this.send(method, path, query, body, true);
  }

  /** How long the budget holds requests back, and why; null when a request may go now. */
  private budgetWait(): { ms: number; reason: string } | null {
    const now = this.now();
    if (now < this.blockedUntil) return { ms: this.blockedUntil - now, reason: "coinbase rate limit: waiting for Retry-After" };
    if (this.remaining !== null && this.remaining <= 0 && now < this.resetAt) return { ms: this.resetAt - now, reason: "coinbase rate limit: x-ratelimit-remaining is 0 until the reset" };
    return null;
  }

  private async send(method: string, path: string, query: string, body: unknown, sign: boolean): Promise<CoinbaseOutcome> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (sign) headers.authorization = `Bearer ${cdpJwt(this.opts.key, { method, host: this.host, path }, Math.floor((this.now() + this.offsetMs) / 1000))}`;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.opts.baseUrl}${path}${query ? `?${query}` : ""}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
      text = await res.text();
    } catch (err) {
      return { kind: "unknown", reason: `no answer from coinbase (${err instanceof Error ? err.message : String(err)})` };
    }
    this.observe(res.status, res.headers);
    if (res.status === 429) return { kind: "throttled", retryAfterMs: Math.max(0, this.blockedUntil - this.now()), reason: "coinbase rate limit: HTTP 429" };
    if (res.status >= 500) return { kind: "unknown", reason: `coinbase ${method} ${path}: HTTP ${res.status}` };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      this.opts.log?.(`coinbase ${method} ${path}: HTTP ${res.status}, answer is not JSON: ${redactCoinbase(text.slice(0, 500), this.opts.key.name)}`);
      return { kind: "unknown", reason: `coinbase ${method} ${path}: HTTP ${res.status} with an answer that is not JSON` };
    }
    if (res.status >= 400) {
      const e = parseError(parsed);
      return { kind: "error", status: res.status, error: e?.error ?? `HTTP ${res.status}`, message: e?.message ?? "" };
    }
    return { kind: "ok", body: parsed };
  }

  private observe(status: number, headers: Headers): void {
    const now = this.now();
    const remaining = Number(headers.get("x-ratelimit-remaining") ?? "NaN");
    const reset = Number(headers.get("x-ratelimit-reset") ?? "NaN");
    if (Number.isFinite(remaining)) this.remaining = remaining;
    if (Number.isFinite(reset)) this.resetAt = reset > 1e9 ? reset * 1000 : now + reset * 1000;
    if (status === 429) {
      const retry = Number(headers.get("retry-after") ?? "NaN");
      this.blockedUntil = Math.max(this.blockedUntil, Number.isFinite(retry) ? now + retry * 1000 : Math.max(this.resetAt, now + 1000));
    }
  }

  /** The rate-limit figures of the last answer. */
  rateLimit(): { remaining: number | null; resetAt: number } {
    return { remaining: this.remaining, resetAt: this.resetAt };
  }
}

/** One line describing an outcome that is not `ok`. */
export function describeCoinbase(r: CoinbaseOutcome): string {
  if (r.kind === "ok") return "ok";
  if (r.kind === "error") return `coinbase ${r.error}${r.message ? `: ${r.message}` : ""} (HTTP ${r.status})`;
  return r.reason;
}
