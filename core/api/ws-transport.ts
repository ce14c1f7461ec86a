/** Glue between a `ws` WebSocket and an {@link ApiSession}. */
import crypto from "node:crypto";
import type { WebSocket } from "ws";
import type { ServerMessage } from "../../common/api/index.ts";
import type { Logger } from "../log.ts";
import type { ApiHandlers } from "./handlers.ts";
import { ApiSession } from "./session.ts";

/** Serves the API on one accepted socket; returns the session for status counters. */
export function attachApiSocket(
  socket: WebSocket,
  handlers: ApiHandlers,
  log: Logger,
  hello: { instanceId: string; sessionId: string; version: string },
): ApiSession {
  const clientId = crypto.randomUUID().slice(0, 8);
  const session = new ApiSession(
    handlers,
    {
      send: (msg: ServerMessage) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
      },
      bufferedAmount: () => socket.bufferedAmount,
    },
    log,
    clientId,
  );
  socket.send(JSON.stringify({ t: "hello", ...hello } satisfies ServerMessage));
  socket.on("message", (data, isBinary) => {
    if (isBinary) {
      session.receive("");
      return;
    }
    session.receive(data.toString());
  });
  socket.on("close", () => session.dispose());
  socket.on("error", (err) => log.warn({ err, clientId }, "api socket error"));
  log.debug({ clientId }, "api client connected");
  return session;
}
