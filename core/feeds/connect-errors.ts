/**
 * Connection failures in words a trader understands: "cannot reach ws.kraken.com: DNS lookup
 * failed", "Binance refused the connection: HTTP 451, this region is restricted — try Binance.US".
 * Used for WebSocket upgrades and REST calls alike; the raw error stays in the debug log.
 */

const TLS_CODES = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)/;

/** The host of a URL, or the text itself when it is not one. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/** Who refused and what to try instead (from the venue's definition). */
export interface RefusalContext {
  /** The venue's display name, e.g. "Binance". */
  name: string;
  /** Suggestion for HTTP 451, e.g. "try Binance.US". */
  restrictedHint?: string | null;
}

/** A venue answered an upgrade or request with an HTTP error status. */
export function describeHttpRefusal(status: number, venue: RefusalContext): string {
  const head = `${venue.name} refused the connection: HTTP ${status}`;
  if (status === 451) return `${head}, this region is restricted${venue.restrictedHint ? ` — ${venue.restrictedHint}` : ""}`;
  if (status === 403) return `${head}, access from this network is forbidden (a VPN, proxy or regional block)`;
  if (status === 429 || status === 418) return `${head}, too many requests — waiting before the next try`;
  if (status >= 500) return `${head}, the venue is having trouble — retrying`;
  return `${head}`;
}

/** The error code of a Node network error or of its `cause` (fetch wraps them). */
function codeOf(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; depth < 3 && typeof e === "object" && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/** A network error (DNS, refused, reset, TLS, timeout) reaching `url`, in trader words. */
export function describeNetworkError(err: unknown, url: string): string {
  const host = hostOf(url);
  const code = codeOf(err);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") return `cannot reach ${host}: DNS lookup failed`;
  if (code === "ECONNREFUSED") return `cannot reach ${host}: connection refused`;
  if (code === "ECONNRESET" || code === "EPIPE") return `cannot reach ${host}: the connection was cut`;
  if (code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT") return `cannot reach ${host}: no answer in time`;
  if (code === "ENETUNREACH" || code === "EHOSTUNREACH") return `cannot reach ${host}: no network route`;
  if (code !== null && TLS_CODES.test(code)) return `cannot reach ${host}: secure connection failed (${code}) — check the system clock and any proxy`;
  const message = err instanceof Error ? err.message : String(err);
  return `cannot reach ${host}: ${message}`;
}

/** A REST call answered with an HTTP error status. */
export class HttpStatusError extends Error {
  readonly status: number;
  constructor(status: number, path: string) {
    super(`HTTP ${status} from ${path}`);
    this.status = status;
  }
}

/** Any failure reaching `url` (an HTTP refusal or a network error), in trader words. */
export function describeFailure(err: unknown, url: string, venue: RefusalContext): string {
  return err instanceof HttpStatusError ? describeHttpRefusal(err.status, venue) : describeNetworkError(err, url);
}
