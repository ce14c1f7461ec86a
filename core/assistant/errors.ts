/**
 * Provider failures in words a trader can act on. Whatever the SDK throws (an HTTP error with a
 * status, a network failure, our own timeout, an abort) is mapped to one {@link ProviderFailure}
 * with a kind, a plain message and whether a Retry button makes sense.
 */
import type { AssistantErrorKind, AssistantFailure } from "../../common/api/assistant.ts";

/** Thrown by the resilient fetch when the provider sends nothing for too long. */
export class ProviderTimeoutError extends Error {
  override name = "ProviderTimeoutError";
  readonly timeoutMs: number;
  constructor(timeoutMs: number, phase: "response" | "stream") {
    super(
      phase === "response"
        ? `the provider did not answer within ${formatMs(timeoutMs)}`
        : `the provider stopped sending for ${formatMs(timeoutMs)} in the middle of an answer`,
    );
    this.timeoutMs = timeoutMs;
  }
}

/** A configuration problem (no model, no base URL, missing key for a cloud provider). */
export class AssistantConfigError extends Error {
  override name = "AssistantConfigError";
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

interface HttpLike {
  statusCode?: number;
  responseBody?: string;
  message: string;
  cause?: unknown;
  name: string;
  code?: string;
}

/** Walks an error and its causes (also AI SDK RetryError's `lastError`/`errors`). */
function* chain(error: unknown): Generator<HttpLike> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const e = queue.shift();
    if (!e || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const rec = e as HttpLike & { lastError?: unknown; errors?: unknown[] };
    if (typeof rec.message === "string") yield rec;
    queue.push(rec.cause, rec.lastError, ...(Array.isArray(rec.errors) ? rec.errors : []));
  }
}

/** A short detail from an error response body: its `error.message` when it is JSON. */
function bodyDetail(body: string | undefined): string {
  if (!body) return "";
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const msg = typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? parsed.message);
    if (typeof msg === "string") return msg.slice(0, 300);
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.replace(/\s+/g, " ").slice(0, 200);
}

function statusFailure(status: number, detail: string): AssistantFailure {
  const suffix = detail ? `: ${detail}` : "";
  if (status === 401 || status === 403) {
    return { kind: "auth", status, retryable: true, message: `The provider refused the API key (HTTP ${status})${suffix}. Check the key (Provider), then Retry.` };
  }
  if (status === 429) {
    return { kind: "rate_limit", status, retryable: true, message: `The provider is rate-limiting requests (HTTP 429) and still refused after 3 retries${suffix}.` };
  }
  if (status >= 500) {
    return { kind: "server", status, retryable: true, message: `The provider had a server error (HTTP ${status}) and still failed after 3 retries${suffix}.` };
  }
  if (status === 404) {
    return { kind: "bad_request", status, retryable: true, message: `The provider does not know this endpoint or model (HTTP 404)${suffix}. Check the base URL and model (Provider), then Retry.` };
  }
  return { kind: "bad_request", status, retryable: false, message: `The provider rejected the request (HTTP ${status})${suffix}.` };
}

/** Maps anything thrown while talking to a provider to a failure a person can act on. */
export function classifyProviderError(error: unknown, aborted = false): AssistantFailure {
  if (aborted) return { kind: "cancelled", retryable: true, message: "Stopped." };
  for (const e of chain(error)) {
    if (e.name === "ProviderTimeoutError") return failure("timeout", `${e.message}. Is the model loaded and the server reachable?`, true);
    if (e.name === "AssistantConfigError") return failure("config", e.message, false);
    if (typeof e.statusCode === "number") return statusFailure(e.statusCode, bodyDetail(e.responseBody));
  }
  for (const e of chain(error)) {
    if (e.name === "AbortError") return { kind: "cancelled", retryable: true, message: "Stopped." };
    if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|fetch failed|Cannot connect/i.test(`${e.code ?? ""} ${e.message}`)) {
      return failure("network", `Could not reach the provider (${e.message}). Check the base URL and that the server is running.`, true);
    }
  }
  const first = chain(error).next().value;
  return failure("unknown", first ? first.message : String(error), true);
}

function failure(kind: AssistantErrorKind, message: string, retryable: boolean): AssistantFailure {
  return { kind, message, retryable };
}
