/**
 * Glue between a `ws` WebSocket and an {@link ApiSession}. Every callback from the socket runs
 * under a guard: a frame, a reply that cannot be encoded or a session fault is logged, never
 * thrown into `ws` (where it would crash core).
 */
import crypto from "node:crypto";
import type { WebSocket } from "ws";
import type { ServerMessage } from "../../common/api/index.ts";
import type { Logger } from "../log.ts";
import type { ApiHandlers } from "./handlers.ts";
import { ApiSession, type SessionLimits } from "./session.ts";

/** Encodes one message; a result that cannot be encoded (a BigInt, a cycle) becomes an internal error for its call. */
function encode(msg: ServerMessage): string {
  try {
    return JSON.stringify(msg);
  } catch (err) {
    const message = `the reply could not be encoded: ${err instanceof Error ? err.message : String(err)}`;
    if (msg.t === "result") return JSON.stringify({ t: "error", id: msg.id, error: { code: "internal", message } } satisfies ServerMessage);
    if (msg.t === "event") return JSON.stringify({ t: "end", id: msg.id, error: { code: "internal", message } } satisfies ServerMessage);
    throw err;
  }
}

/** Serves the API on one accepted socket; returns the session for status counters. */
export function attachApiSocket(
  socket: WebSocket,
  handlers: ApiHandlers,
  log: Logger,
  hello: { instanceId: string; sessionId: string; version: string },
  limits: Partial<SessionLimits> = {},
): ApiSession {
  const clientId = crypto.randomUUID().slice(0, 8);
  const send = (msg: ServerMessage): void => {
    if (socket.readyState !== socket.OPEN) return;
    try {
      socket.send(encode(msg));
    } catch (err) {
      log.error({ err, clientId, t: msg.t }, "api reply not sent");
    }
  };
  const session = new ApiSession(handlers, { send, bufferedAmount: () => socket.bufferedAmount }, log, clientId, {}, limits);
  send({ t: "hello", ...hello });
  socket.on("message", (data, isBinary) => {
    try {
      session.receive(isBinary ? "" : data.toString());
    } catch (err) {
      log.error({ err, clientId }, "api frame failed");
    }
  });
  socket.on("close", () => {
    try {
      session.dispose();
    } catch (err) {
      log.error({ err, clientId }, "api session did not close cleanly");
    }
  });
  socket.on("error", (err) => log.warn({ err, clientId }, "api socket error"));
  log.debug({ clientId }, "api client connected");
  return session;
}
