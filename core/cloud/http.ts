/** A small JSON client of the cloud account service; errors become {@link CloudHttpError}s with the service's one-line message. */
import type { ErrorBody } from "../../common/cloud/protocol.ts";

/** A non-2xx answer. */
export class CloudHttpError extends Error {
  override name = "CloudHttpError";
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Bytes sent and received, for the benchmark. */
export interface WireCounter {
  sent: number;
  received: number;
}

/** Calls `method path` on `server` with an optional JSON body and bearer token; resolves with the JSON answer. */
export async function cloudRequest<T>(server: string, method: string, path: string, options: { body?: unknown; token?: string; counter?: WireCounter } = {}): Promise<T> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(new URL(path, server), { method, headers, ...(body !== undefined ? { body } : {}) });
  } catch (err) {
    throw new Error(`could not reach the cloud service at ${server}: ${(err as Error).message}`, { cause: err });
  }
  const text = await res.text();
  if (options.counter) {
    options.counter.sent += body ? Buffer.byteLength(body) : 0;
    options.counter.received += Buffer.byteLength(text);
  }
  if (!res.ok) {
    let message = `the cloud service answered ${res.status}`;
    try {
      message = (JSON.parse(text) as ErrorBody).error ?? message;
    } catch {
      // not JSON: keep the status line
    }
    throw new CloudHttpError(res.status, message);
  }
  return (text === "" ? undefined : JSON.parse(text)) as T;
}
