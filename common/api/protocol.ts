/**
 * The wire protocol of the loopback API: JSON text frames over one WebSocket.
 *
 * client → core: `call` (request), `cancel` (abort a running call), `sub` / `unsub` (streams).
 * core → client: `result` / `error` (end of a call), `progress` (long work), `event` (a stream
 * event), `dropped` (how many events a slow client lost on a coalesced stream), `end` (a stream
 * closed by core, optionally with an error).
 */
import type { ApiErrorBody } from "./errors.ts";

/** Progress of long work, reported while a call runs. */
export interface Progress {
  /** Units done so far (rows, bars, combinations…). */
  done: number;
  /** Total units when known. */
  total?: number;
  /** A short human-readable phase, e.g. "reading trades.csv". */
  message?: string;
}

/** Messages a client sends. */
export type ClientMessage =
  | { t: "call"; id: number; method: string; params: unknown }
  | { t: "cancel"; id: number }
  | { t: "sub"; id: number; stream: string; params: unknown }
  | { t: "unsub"; id: number };

/** Messages core sends. */
export type ServerMessage =
  | { t: "result"; id: number; result: unknown }
  | { t: "error"; id: number; error: ApiErrorBody }
  | { t: "progress"; id: number; progress: Progress }
  | { t: "event"; id: number; event: unknown }
  | { t: "dropped"; id: number; count: number }
  | { t: "end"; id: number; error?: ApiErrorBody }
  | { t: "hello"; instanceId: string; sessionId: string; version: string };

const CLIENT_TYPES = new Set(["call", "cancel", "sub", "unsub"]);

/** Parses one client frame; returns an error string for anything that is not a well-formed message. */
export function parseClientMessage(text: string): ClientMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "frame is not valid JSON";
  }
  if (typeof value !== "object" || value === null) return "frame is not a JSON object";
  const msg = value as Record<string, unknown>;
  if (typeof msg.t !== "string" || !CLIENT_TYPES.has(msg.t)) return "unknown message type";
  if (typeof msg.id !== "number" || !Number.isSafeInteger(msg.id)) return "message id must be an integer";
  if (msg.t === "call" && typeof msg.method !== "string") return "call needs a method name";
  if (msg.t === "sub" && typeof msg.stream !== "string") return "sub needs a stream name";
  return msg as unknown as ClientMessage;
}
