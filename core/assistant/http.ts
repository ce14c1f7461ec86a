/**
 * The fetch the provider SDKs use: retries 429 and 5xx with exponential backoff, honouring
 * `Retry-After` / `retry-after-ms`, up to 3 times; and times out a provider that sends nothing —
 * no response headers within the timeout, or no streamed chunk for that long once it started.
 *
 * A connection reset before any response (a kept-alive socket the server closed while a long
 * tool ran) is sent again at once, within the same 3 retries.
 *
 * Retrying here (the SDK's own retries are turned off) lets the chat say "rate-limited, retrying
 * in 2 s (1/3)" while it waits, and keeps timeouts out of the retry loop: a hung local model is
 * reported after one timeout, not after four.
 */
import { ProviderTimeoutError } from "./errors.ts";

/** Told before each retry. */
export interface RetryNotice {
  /** 1-based number of the retry about to happen. */
  attempt: number;
  maxRetries: number;
  delayMs: number;
  status: number;
}

/** Options of {@link createResilientFetch}. */
export interface ResilientFetchOptions {
  timeoutMs: number;
  /** Default 3. */
  maxRetries?: number;
  /** First backoff when the provider gives no Retry-After (doubles each time). Default 1000. */
  baseDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the error is shown. Default 60 000. */
  maxDelayMs?: number;
  onRetry?: (notice: RetryNotice) => void;
  /** Injected for tests. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  fetch?: typeof fetch;
}

/** Statuses worth retrying: rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** The wait a response asks for, in ms (`retry-after-ms`, then `Retry-After` seconds or date); null when absent. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** A connection dropped before any response (e.g. a kept-alive socket the server had closed): safe to send again. */
export function isConnectionReset(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE" || /other side closed|socket hang up/i.test(e.message)) return true;
  }
  return false;
}

/** Sleeps, waking early (rejecting) when the signal aborts. */
export function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A controller that follows `parent` and can also be aborted on its own (timeouts). */
function linkedController(parent: AbortSignal | null | undefined): AbortController {
  const controller = new AbortController();
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", () => controller.abort(parent.reason), { once: true });
  return controller;
}

/** Wraps a response body so that a pause longer than `timeoutMs` between chunks errors it. */
function watchBody(response: Response, controller: AbortController, timeoutMs: number): Response {
  const source = response.body;
  if (!source) return response;
  const reader = source.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(out) {
      const error = new ProviderTimeoutError(timeoutMs, "stream");
      const timer = setTimeout(() => controller.abort(error), timeoutMs);
      try {
        const { done, value } = await reader.read();
        if (done) out.close();
        else out.enqueue(value);
      } catch (err) {
        out.error(controller.signal.reason ?? err);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** One request with the response-header timeout; the body is watched for pauses. */
async function fetchOnce(base: typeof fetch, input: string | URL | Request, init: RequestInit | undefined, timeoutMs: number): Promise<Response> {
  const controller = linkedController(init?.signal);
  const timer = setTimeout(() => controller.abort(new ProviderTimeoutError(timeoutMs, "response")), timeoutMs);
  try {
    const response = await base(input, { ...init, signal: controller.signal });
    return watchBody(response, controller, timeoutMs);
  } catch (err) {
    throw controller.signal.aborted ? controller.signal.reason : err;
  } finally {
    clearTimeout(timer);
  }
}

/** Builds the retrying, timing-out fetch. */
export function createResilientFetch(options: ResilientFetchOptions): typeof fetch {
  const base = options.fetch ?? globalThis.fetch;
  const maxRetries = options.maxRetries ?? 3;
  const baseDelay = options.baseDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 60_000;
  const sleep = options.sleep ?? abortableSleep;
  const resilient = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetchOnce(base, input, init, options.timeoutMs);
      } catch (err) {
        if (attempt >= maxRetries || init?.signal?.aborted || !isConnectionReset(err)) throw err;
        continue;
      }
      if (!isRetryableStatus(response.status) || attempt >= maxRetries) return response;
      const delay = retryAfterMs(response.headers) ?? baseDelay * 2 ** attempt;
      if (delay > maxDelay) return response;
      await response.body?.cancel().catch(() => undefined);
      options.onRetry?.({ attempt: attempt + 1, maxRetries, delayMs: delay, status: response.status });
      await sleep(delay, init?.signal ?? undefined);
    }
  };
  return resilient as typeof fetch;
}
