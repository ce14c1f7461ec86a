/**
 * Kraken spot private REST client: `POST /0/private/<Method>` with a form body carrying a strictly
 * increasing `nonce`, signed with `API-Key` / `API-Sign`, each answer classified — a result is `ok`,
 * an error list is `error` (the venue refused; `EAPI:Rate limit exceeded` and the order-rate errors
 * are `throttled`), and a timeout, a dropped connection, a 5xx or an answer that does not parse is
 * `unknown` (the request may have been executed).
 */
import { KrakenParseError, parseEnvelope } from "./parse.ts";
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

/** Options of a {@link KrakenPrivateClient}. */
export interface KrakenClientOptions {
  baseUrl: string;
  key: KrakenKey;
  timeoutMs?: number;
  nonces?: NonceSource;
  log?: (line: string) => void;
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

  constructor(opts: KrakenClientOptions) {
    this.opts = opts;
    this.nonces = opts.nonces ?? new NonceSource();
  }

  /** A private call; `params` are form fields (the nonce is added first). */
  async call(method: string, params: ReadonlyArray<readonly [string, string]> = []): Promise<KrakenOutcome> {
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
