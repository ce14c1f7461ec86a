/**
 * Connection to core: one {@link ApiClient} for the whole page, and a zustand store with its
 * state for the status pill and the reconnect banner. The page authenticates with the HttpOnly
 * cookie set on first load, so the same code runs in desktop and browser mode.
 */
import { create } from "zustand";
import { ApiClient, type ConnectionState, type CoreHello, type SocketLike } from "../../../common/api/client.ts";

/** What the UI shows about core. */
export interface ConnectionStore {
  state: ConnectionState;
  hello: CoreHello | null;
  /** A different core (new token) now runs on this port: the page must be opened with its new URL. */
  replaced: boolean;
  /** How often the connection was re-established. */
  reconnects: number;
}

/** The store of the connection state. */
export const useConnection = create<ConnectionStore>(() => ({ state: "connecting", hello: null, replaced: false, reconnects: 0 }));

async function probeReplaced(): Promise<void> {
  try {
    const res = await fetch("/api/health", { credentials: "same-origin", cache: "no-store" });
    if (res.status === 401) useConnection.setState({ replaced: true });
  } catch {
    // Core is down: keep reconnecting.
  }
}

function onState(state: ConnectionState): void {
  const prev = useConnection.getState().state;
  useConnection.setState((s) => ({ state, reconnects: state === "open" && prev === "reconnecting" ? s.reconnects + 1 : s.reconnects }));
  if (state === "reconnecting") void probeReplaced();
}

function onHello(hello: CoreHello): void {
  const prev = useConnection.getState().hello;
  const replaced = prev !== null && prev.sessionId !== hello.sessionId;
  useConnection.setState({ hello, replaced });
}

function apiSocketUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/api`;
}

/** The page's API client. */
export const api = new ApiClient({
  connect: () => new WebSocket(apiSocketUrl()) as unknown as SocketLike,
  reconnect: { minDelayMs: 250, maxDelayMs: 3000 },
  onStateChange: onState,
  onHello,
});
