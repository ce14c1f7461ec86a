/**
 * Connects a CLI command to the core that owns a data directory (found through its lock file).
 * DuckDB allows one writer, so commands that need the store go through a running core's API
 * rather than opening the databases themselves.
 */
import WebSocket from "ws";
import { ApiClient, type CoreHello, type SocketLike } from "../../common/api/client.ts";
import { ApiError } from "../../common/api/errors.ts";
import { findListeningCore } from "../platform/lock.ts";

/** Opens an API client to `127.0.0.1:port` with the token in a header; resolves once connected. */
export function connectApi(port: number, token: string): Promise<ApiClient> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const client: ApiClient = new ApiClient({
      connect: () =>
        new WebSocket(`ws://127.0.0.1:${port}/api`, { headers: { authorization: `Bearer ${token}` } }) as unknown as SocketLike,
      reconnect: false,
      onStateChange: (state) => {
        if (settled) return;
        if (state === "open") {
          settled = true;
          resolve(client);
        } else if (state === "closed") {
          settled = true;
          reject(new Error(`could not connect to core on port ${port}`));
        }
      },
    });
  });
}

/**
 * {@link connectApi} with core's version and instance id: from its `hello` (the first message of
 * every connection), without a `core.info` round trip; a server that sends no hello is asked
 * `core.info` once the connection is open, and whichever answers first is used.
 */
export function connectApiHello(port: number, token: string): Promise<{ client: ApiClient; info: Pick<CoreHello, "version"> }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (info: Pick<CoreHello, "version">) => {
      if (settled) return;
      settled = true;
      resolve({ client, info });
    };
    const client: ApiClient = new ApiClient({
      connect: () =>
        new WebSocket(`ws://127.0.0.1:${port}/api`, { headers: { authorization: `Bearer ${token}` } }) as unknown as SocketLike,
      reconnect: false,
      onHello: (hello) => {
        if (client.state === "open") settle(hello);
      },
      onStateChange: (state) => {
        if (settled) return;
        if (state === "open") {
          client.call("core.info", {}).then(settle, (err: unknown) => {
            if (!settled) reject(err instanceof Error ? err : new Error(String(err)));
          });
        } else if (state === "closed") {
          settled = true;
          reject(new Error(`could not connect to core on port ${port}`));
        }
      },
    });
  });
}

/**
 * The API client of the core running on this data directory, or null when none runs (a stale lock
 * — dead process, or a port that no longer answers with the lock's instance — counts as none).
 */
export async function connectToRunningCore(dataDir: string): Promise<ApiClient | null> {
  const lock = await findListeningCore(dataDir);
  if (!lock) return null;
  return connectApi(lock.port, lock.token);
}

/** Runs `viaCore` on the running core's API (API errors become one-line Errors), or null when no core runs. */
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
