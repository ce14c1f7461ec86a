/**
 * What every simulated venue shares: its markets (one {@link SimMarket} per symbol), its live
 * connections, pending injected faults, and the contract the server drives — a text message from a
 * client, a market step, a heartbeat tick, a REST request.
 */
import type { VenueId } from "../../common/market/events.ts";
import { defaultInstrument, SimMarket, type StepResult } from "./market.ts";

/** A fault the simulator can inject. */
export type FaultKind =
  /** Skip a sequence number (Coinbase), skip a depth update (Binance), drop a book update (Kraken). */
  | "gap"
  /** Send the next Kraken book update with a wrong checksum. */
  | "checksum"
  /** Send the next data frame truncated (invalid JSON) instead of the real one. */
  | "malformed"
  /** Drop every open connection at once. */
  | "disconnect"
  /** Open connections stop sending and stop answering pings until the client gives up. */
  | "silence";

/** One client connection as a venue sees it. */
export interface SimConnection {
  send(text: string): void;
  /** Drops the socket without a closing handshake. */
  terminate(): void;
  /** A silenced connection sends nothing more. */
  silent: boolean;
  /** Bytes queued on the socket and not yet written (for paced senders such as the benchmark). */
  bufferedAmount(): number;
  /** The path (and query) the client connected to. */
  path: string;
  /**
   * Sends many text frames in one socket write (the benchmark's bursts); false when the socket's
   * buffer is full and the caller should wait before sending more.
   */
  sendMany(texts: readonly string[]): boolean;
}

/** A REST answer. */
export interface SimRestResponse {
  status: number;
  body: string;
}

/** Parses a client's request frame: a JSON object, or null for anything else (bad JSON, `null`, a number…). */
export function parseRequestFrame<T extends object>(text: string): Partial<T> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Partial<T>) : null;
  } catch {
    return null;
  }
}

/** Base of the per-venue simulators. */
export abstract class SimVenue<S extends { conn: SimConnection }> {
  abstract readonly venue: VenueId;
  readonly markets = new Map<string, SimMarket>();
  readonly sessions = new Set<S>();
  protected pending: Record<"gap" | "checksum" | "malformed", number> = { gap: 0, checksum: 0, malformed: 0 };
  /** Frames sent by this venue, for stats. */
  sent = 0;
  /** How far this venue's server clock runs ahead of the machine's (ms), as its time endpoint answers. */
  clockSkewMs = 0;

  constructor(symbols: readonly string[], random: () => number) {
    for (const s of symbols) this.markets.set(s, new SimMarket(defaultInstrument(s), random));
  }

  /** A new connection opened on `path` (with query). */
  abstract open(conn: SimConnection, url: URL): S;
  /** A text message from a client. */
  abstract message(session: S, text: string): void;
  /** The market of `symbol` moved. */
  abstract step(symbol: string, result: StepResult): void;
  /** Once per heartbeat period. */
  abstract heartbeat(now: number): void;
  /** A REST GET (path relative to the venue's REST base, with query). */
  abstract rest(url: URL, now: number): SimRestResponse;

  /** The connection closed. */
  close(session: S): void {
    this.sessions.delete(session);
  }

  /** Queues a fault for the next matching message, or applies it now. */
  inject(fault: FaultKind): void {
    if (fault === "disconnect") {
      for (const s of [...this.sessions]) s.conn.terminate();
      return;
    }
    if (fault === "silence") {
      for (const s of this.sessions) s.conn.silent = true;
      return;
    }
    this.pending[fault]++;
  }

  /** Takes one pending fault of `kind`, if any. */
  protected take(kind: "gap" | "checksum" | "malformed"): boolean {
    if (this.pending[kind] === 0) return false;
    this.pending[kind]--;
    return true;
  }

  /** Sends a data frame, truncated instead when a malformed fault is pending. */
  protected sendData(session: S, text: string): void {
    if (session.conn.silent) return;
    this.sent++;
    session.conn.send(this.take("malformed") ? text.slice(0, Math.max(1, text.length >> 1)) : text);
  }

  /** Sends a control frame (acks, heartbeats). */
  protected sendControl(session: S, text: string): void {
    if (session.conn.silent) return;
    this.sent++;
    session.conn.send(text);
  }
}

/** RFC 3339 text of a UTC ms time with `digits` fraction digits (3, 6 or 9). */
export function isoTime(ms: number, digits: 3 | 6 | 9): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 23)}${"0".repeat(digits - 3)}Z`;
}

/** A JSON REST answer. */
export function json(body: unknown, status = 200): SimRestResponse {
  return { status, body: JSON.stringify(body) };
}
