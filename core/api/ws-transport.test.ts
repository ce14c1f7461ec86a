import { afterEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import type { ServerMessage } from "../../common/api/index.ts";
import { silentLogger } from "../log.ts";
import type { ApiHandlers } from "./handlers.ts";
import { attachApiSocket } from "./ws-transport.ts";

let server: WebSocketServer | null = null;

afterEach(() => {
  server?.close();
  server = null;
});

/** A real socket pair: the server side served by `handlers`, the client side returned once open. */
async function connect(handlers: Partial<ApiHandlers>): Promise<{ client: WebSocket; messages: ServerMessage[]; next: () => Promise<ServerMessage> }> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  server = wss;
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  wss.on("connection", (socket) => attachApiSocket(socket, handlers as ApiHandlers, silentLogger(), { instanceId: "i", sessionId: "s", version: "0" }));
  const port = (wss.address() as { port: number }).port;
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  const messages: ServerMessage[] = [];
  const waiters: ((m: ServerMessage) => void)[] = [];
  client.on("message", (data) => {
    const msg = JSON.parse(String(data)) as ServerMessage;
    const waiter = waiters.shift();
    if (waiter) waiter(msg);
    else messages.push(msg);
  });
  await new Promise<void>((resolve) => client.once("open", () => resolve()));
  const next = (): Promise<ServerMessage> => {
    const queued = messages.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => waiters.push(resolve));
  };
  return { client, messages, next };
}

describe("attachApiSocket", () => {
  it("answers a result that cannot be encoded with an internal error and keeps the connection", async () => {
    const { client, next } = await connect({
      "core.info": (() => ({ big: 1n })) as unknown as ApiHandlers["core.info"],
      "core.ping": (p) => ({ echo: p.echo ?? null, time: 1 }),
    });
    expect(await next()).toMatchObject({ t: "hello" });
    client.send(JSON.stringify({ t: "call", id: 1, method: "core.info", params: {} }));
    expect(await next()).toMatchObject({ t: "error", id: 1, error: { code: "internal", message: expect.stringContaining("could not be encoded") } });
    client.send(JSON.stringify({ t: "call", id: 2, method: "core.ping", params: { echo: "still here" } }));
    expect(await next()).toEqual({ t: "result", id: 2, result: { echo: "still here", time: 1 } });
    client.close();
  });
});
