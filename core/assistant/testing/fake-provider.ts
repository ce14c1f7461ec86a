/**
 * A fake model provider for tests: a loopback HTTP server that speaks OpenAI's chat-completions
 * API with SSE streaming (and Anthropic's messages and Google's streamGenerateContent formats),
 * and answers each request with the next scripted turn — text, tool calls, an HTTP error, or a
 * hang. Requests are recorded so tests can check what the model was sent (tool results included).
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type ReplyWriter, anthropicWriter, googleWriter, openAiWriter } from "./fake-formats.ts";

/** A tool call the fake model makes. `args` may be a raw string to fake malformed JSON. */
export interface ScriptedToolCall {
  name: string;
  args: Record<string, unknown> | string;
  id?: string;
}

/** A normal streamed answer. */
export interface ReplyTurn {
  kind?: "reply";
  text?: string;
  toolCalls?: ScriptedToolCall[];
  usage?: { input: number; output: number };
}

/** An HTTP error answer (e.g. 429 with Retry-After, 500, 401). */
export interface ErrorTurn {
  kind: "error";
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Never answers ("headers"), or starts streaming and then goes silent ("stream"). */
export interface HangTurn {
  kind: "hang";
  when: "headers" | "stream";
  text?: string;
}

/** One scripted answer, or a function that picks it from the request. */
export type ScriptedTurn = ReplyTurn | ErrorTurn | HangTurn | ((request: RecordedRequest) => ReplyTurn | ErrorTurn | HangTurn);

/** A request the fake received. */
export interface RecordedRequest {
  format: "openai" | "anthropic" | "google";
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** The text of every tool result in the request, oldest first (format-independent). */
  toolResults: string[];
}

/** A running fake provider. */
export interface FakeProvider {
  /** `http://127.0.0.1:PORT/v1` — the value of WORKSTATION_AI_BASE_URL (Google: `/v1beta`). */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** Turns not played yet. */
  remaining(): number;
  /** Appends more turns. */
  push(...turns: ScriptedTurn[]): void;
  /** Resolves when the n-th request (1-based) has arrived. */
  waitForRequests(n: number): Promise<void>;
  /** Resolves when a client has dropped a request before its answer ended (Stop, timeout). */
  /** Resolves, with how many requests the client abandoned so far, once at least one was. */
  waitForAbandoned(): Promise<number>;
  close(): Promise<void>;
}

function formatOf(path: string): RecordedRequest["format"] | null {
  if (path.endsWith("/chat/completions")) return "openai";
  if (path.endsWith("/messages")) return "anthropic";
  if (/:(stream)?[gG]enerateContent/.test(path)) return "google";
  return null;
}

function textOfContent(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => textOfContent((part as { text?: unknown; content?: unknown }).text ?? (part as { content?: unknown }).content)).join("");
  if (content && typeof content === "object") return JSON.stringify(content);
  return "";
}

/** Every tool result text in a request body, whichever format it is in. */
function toolResultsOf(format: RecordedRequest["format"], body: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (format === "openai") {
    for (const m of (body.messages as { role: string; content: unknown }[] | undefined) ?? []) if (m.role === "tool") out.push(textOfContent(m.content));
  } else if (format === "anthropic") {
    for (const m of (body.messages as { content: unknown }[] | undefined) ?? []) {
      if (!Array.isArray(m.content)) continue;
      for (const part of m.content as { type: string; content?: unknown }[]) if (part.type === "tool_result") out.push(textOfContent(part.content));
    }
  } else {
    for (const c of (body.contents as { parts?: { functionResponse?: { response?: unknown } }[] }[] | undefined) ?? []) {
      for (const part of c.parts ?? []) if (part.functionResponse) out.push(textOfContent(part.functionResponse.response));
    }
  }
  return out;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function writerFor(format: RecordedRequest["format"], model: string): ReplyWriter {
  if (format === "anthropic") return anthropicWriter(model);
  if (format === "google") return googleWriter();
  return openAiWriter(model);
}

/** Plays one turn on a response. */
function play(turn: ReplyTurn | ErrorTurn | HangTurn, format: RecordedRequest["format"], model: string, res: http.ServerResponse): void {
  if (turn.kind === "error") {
    res.writeHead(turn.status, { "content-type": "application/json", ...turn.headers });
    res.end(JSON.stringify(turn.body ?? { error: { message: `fake error ${turn.status}`, type: "fake_error" } }));
    return;
  }
  if (turn.kind === "hang" && turn.when === "headers") return;
  const writer = writerFor(format, model);
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  if (turn.kind === "hang") {
    for (const event of writer.start()) res.write(event);
    for (const event of writer.text(turn.text ?? "Thinking")) res.write(event);
    return;
  }
  for (const event of writer.reply(turn)) res.write(event);
  res.end();
}

/** Starts a fake provider on 127.0.0.1 with the given script. */
export async function startFakeProvider(script: ScriptedTurn[] = []): Promise<FakeProvider> {
  const turns = [...script];
  const requests: RecordedRequest[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let abandoned = 0;
  const abandonWaiters: ((count: number) => void)[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? "/").split("?")[0]!;
      const format = req.method === "POST" ? formatOf(path) : null;
      const raw = await readBody(req);
      if (!format) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `no route ${path}` } }));
        return;
      }
      res.on("close", () => {
        if (res.writableFinished) return;
        abandoned++;
        for (const resolve of abandonWaiters.splice(0)) resolve(abandoned);
      });
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const recorded: RecordedRequest = { format, path, headers: req.headers, body, toolResults: toolResultsOf(format, body) };
      requests.push(recorded);
      for (const w of waiters.filter((w) => requests.length >= w.n)) w.resolve();
      const next = turns.shift();
      if (!next) {
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "fake provider: no scripted turn left" } }));
        return;
      }
      const turn = typeof next === "function" ? next(recorded) : next;
      const model = typeof body.model === "string" ? body.model : (/models\/([^:]+)/.exec(path)?.[1] ?? "fake");
      play(turn, format, model, res);
    })();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    remaining: () => turns.length,
    push: (...more) => void turns.push(...more),
    waitForAbandoned: () => (abandoned > 0 ? Promise.resolve(abandoned) : new Promise((resolve) => abandonWaiters.push(resolve))),
    waitForRequests: (n) => (requests.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
