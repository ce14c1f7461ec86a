/**
 * Kraken spot private REST client: `POST /0/private/<Method>` with a form body carrying a strictly
 * increasing `nonce`, signed with `API-Key` / `API-Sign`, each answer classified — a result is `ok`,
 * an error list is `error` (the venue refused; `EAPI:Rate limit exceeded` and the order-rate errors
 * are `throttled`), and a timeout, a dropped connection, a 5xx or an answer that does not parse is
 * `unknown` (the request may have been executed). A per-key REST call counter (`rate-counter.ts`,
 * the key's tier) paces calls before sending: a wait up to `maxBudgetWaitMs` (2 s) is waited out, a
 * longer one is answered `throttled` without sending.
 */
import { KrakenParseError, parseEnvelope } from "./parse.ts";
import { DecayingCounter, type KrakenTier, REST_LIMITS, restCost } from "./rate-counter.ts";
import { krakenSignature, NonceSource } from "./sign.ts";

/** A Kraken API key (the secret is base64, as Kraken shows it). */
export interface KrakenKey {
  apiKey: string;
  secret: string;
}

/** A classified answer. */
export type KrakenOutcome =
  | { kind: "ok"; result: unknown }
  | { kind: "error"; errors: string[] }
  | { kind: "throttled"; retryAfterMs: number; reason: string }
  | { kind: "unknown"; reason: string };

/** Errors that mean "not executed, try later" (Kraken's rate limits). */
const THROTTLE = /^(EAPI:Rate limit exceeded|EOrder:Rate limit exceeded|EGeneral:Too many requests)/;

/** Errors after which the outcome is not known (the engine may have taken the order). */
const UNKNOWN = /^(EService:Unavailable|EService:Busy|EService:Deadline elapsed|EGeneral:Internal error)/;

/**
 * Calls of headroom kept under the venue's maximum: Kraken counts a call when it arrives (later than
 * this client counts it) and decays its counter in steps "every couple of seconds".
 */
export const REST_HEADROOM = 1;

/** Options of a {@link KrakenPrivateClient}. */
export interface KrakenClientOptions {
  baseUrl: string;
  key: KrakenKey;
  timeoutMs?: number;
  nonces?: NonceSource;
  log?: (line: string) => void;
  /** The key's verification tier (sets the REST call counter; default `starter`). */
  tier?: KrakenTier;
  /** Longest wait for the call counter before a call is answered `throttled` unsent (default 2 s). */
  maxBudgetWaitMs?: number;
  now?: () => number;
}

/** Replaces the API key in `text`. */
export function redactKraken(text: string, apiKey: string): string {
  return apiKey.length > 0 ? text.split(apiKey).join("<api-key>") : text;
}

/** The classification of a parsed envelope's error list. */
export function classifyErrors(errors: readonly string[]): KrakenOutcome {
  const first = errors[0] ?? "";
  if (THROTTLE.test(first)) return { kind: "throttled", retryAfterMs: 15_000, reason: `kraken ${errors.join("; ")}` };
  if (UNKNOWN.test(first)) return { kind: "unknown", reason: `kraken ${errors.join("; ")}` };
  return { kind: "error", errors: [...errors] };
}

/** The signed REST face of one key on one Kraken environment. */
export class KrakenPrivateClient {
  private readonly opts: KrakenClientOptions;
  private readonly nonces: NonceSource;
  private readonly counter: DecayingCounter;

  constructor(opts: KrakenClientOptions) {
    this.opts = opts;
    this.nonces = opts.nonces ?? new NonceSource();
    const limits = REST_LIMITS[opts.tier ?? "starter"];
    this.counter = new DecayingCounter(limits.max - REST_HEADROOM, limits.decayPerS, opts.now ?? Date.now);
  }

  /**
   * A private call; `params` are form fields (the nonce is added first). Waits its turn on the call
   * counter up to `maxBudgetWaitMs`; past that it is answered `throttled` and not sent.
   */
  async call(method: string, params: ReadonlyArray<readonly [string, string]> = []): Promise<KrakenOutcome> {
    const cost = restCost(method);
    const maxWait = this.opts.maxBudgetWaitMs ?? 2000;
    const wait = this.counter.reserve(cost, maxWait);
    if (wait === null) {
      const ms = this.counter.waitMs(cost);
      return { kind: "throttled", retryAfterMs: ms, reason: `kraken rate limit: ${method} would pass the key's API counter for ${ms} ms (not sent)` };
    }
    if (wait > 0) await new Promise<void>((r) => setTimeout(r, wait));
    return this.send(method, params);
  }

  private async send(method: string, params: ReadonlyArray<readonly [string, string]>): Promise<KrakenOutcome> {
    const path = `/0/private/${method}`;
    const nonce = this.nonces.next();
    const body = new URLSearchParams([["nonce", nonce], ...params.map(([k, v]) => [k, v] as [string, string])]).toString();
    const headers = { "API-Key": this.opts.key.apiKey, "API-Sign": krakenSignature(path, nonce, body, this.opts.key.secret), "Content-Type": "application/x-www-form-urlencoded" };
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.opts.baseUrl}${path}`, { method: "POST", headers, body, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
      text = await res.text();
    } catch (err) {
      return { kind: "unknown", reason: `no answer from kraken (${err instanceof Error ? err.message : String(err)})` };
    }
    if (res.status >= 500) return { kind: "unknown", reason: `kraken ${method}: HTTP ${res.status}` };
    if (res.status === 429) return { kind: "throttled", retryAfterMs: 15_000, reason: "kraken: HTTP 429" };
    try {
      const envelope = parseEnvelope(JSON.parse(text) as unknown);
      return envelope.kind === "ok" ? envelope : classifyErrors(envelope.errors);
    } catch (err) {
      if (!(err instanceof SyntaxError || err instanceof KrakenParseError)) throw err;
      this.opts.log?.(`kraken ${method}: HTTP ${res.status}, answer did not parse: ${redactKraken(text.slice(0, 500), this.opts.key.apiKey)}`);
      return { kind: "unknown", reason: `kraken ${method}: HTTP ${res.status} with an answer that did not parse` };
    }
  }
}

/** One line describing an outcome that is not `ok`. */
export function describeKraken(r: KrakenOutcome): string {
  if (r.kind === "ok") return "ok";
  if (r.kind === "error") return `kraken ${r.errors.join("; ")}`;
  return r.reason;
}
