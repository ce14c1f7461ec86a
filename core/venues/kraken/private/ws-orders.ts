/**
 * Kraken WebSocket v2 trading requests (`add_order`, `cancel_order`) on one authenticated
 * connection: opened on first use with a token from `GetWebSocketsToken` (a token stays valid for
 * the connection it opened), each request carries the token and a `req_id`, and its answer is the
 * message with the same `req_id`. No answer within the timeout, or the connection dropping while a
 * request waits, is `unknown` (the engine may have taken it): the caller resolves it by query on the
 * client order id, never by sending it again.
 */
import WebSocket from "ws";
import { classifyErrors, type KrakenOutcome } from "./client.ts";
import { KrakenParseError, parseWsRequestAnswer } from "./parse.ts";

/** What the trader needs: a fresh token, and where to log answers that do not parse. */
export interface KrakenWsTraderOptions {
  url: string;
  token(): Promise<string>;
  timeoutMs?: number;
  log(line: string): void;
}

interface Pending {
  resolve(r: KrakenOutcome): void;
  timer: NodeJS.Timeout;
}

/** One authenticated WS v2 connection for trading requests. */
export class KrakenWsTrader {
  private readonly opts: KrakenWsTraderOptions;
  private ws: WebSocket | null = null;
  private opening: Promise<WebSocket> | null = null;
  private token = "";
  private nextReqId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(opts: KrakenWsTraderOptions) {
    this.opts = opts;
  }

  /** Sends `method` with `params` (the token is added); the classified answer (`ok` carries `result`). */
  async request(method: "add_order" | "cancel_order", params: Record<string, unknown>): Promise<KrakenOutcome> {
    let ws: WebSocket;
    try {
      ws = await this.connection();
    } catch (err) {
      return { kind: "error", errors: [`EGeneral:Connection failed (${err instanceof Error ? err.message : String(err)}); nothing was sent`] };
    }
    const reqId = this.nextReqId++;
    return new Promise<KrakenOutcome>((resolve) => {
      const timer = setTimeout(() => this.settle(reqId, { kind: "unknown", reason: `kraken ${method}: no answer within ${this.opts.timeoutMs ?? 10_000} ms` }), this.opts.timeoutMs ?? 10_000);
      this.pending.set(reqId, { resolve, timer });
      ws.send(JSON.stringify({ method, params: { ...params, token: this.token }, req_id: reqId }), (err) => {
        if (err) this.settle(reqId, { kind: "unknown", reason: `kraken ${method}: the connection failed while sending (${err.message})` });
      });
    });
  }

  /** Closes the connection; waiting requests become `unknown`. */
  close(): void {
    this.ws?.terminate();
    this.ws = null;
  }

  private settle(reqId: number, r: KrakenOutcome): void {
    const p = this.pending.get(reqId);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(reqId);
    p.resolve(r);
  }

  private connection(): Promise<WebSocket> {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) return Promise.resolve(this.ws);
    this.opening ??= this.open().finally(() => (this.opening = null));
    return this.opening;
  }

  private async open(): Promise<WebSocket> {
    this.token = await this.opts.token();
    const ws = new WebSocket(this.opts.url);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    ws.on("message", (raw: Buffer) => this.onMessage(raw.toString()));
    ws.on("error", () => undefined);
    ws.on("close", () => {
      if (this.ws === ws) this.ws = null;
      for (const id of [...this.pending.keys()]) this.settle(id, { kind: "unknown", reason: "kraken trading connection closed before the answer" });
    });
    this.ws = ws;
    return ws;
  }

  private onMessage(text: string): void {
    let a;
    try {
      a = parseWsRequestAnswer(JSON.parse(text) as unknown);
    } catch (err) {
      const reqId = /"req_id"\s*:\s*(\d+)/.exec(text)?.[1];
      this.opts.log(`kraken trading answer did not parse (${err instanceof Error ? err.message : String(err)}): ${(this.token ? text.split(this.token).join("<token>") : text).slice(0, 500)}`);
      if (reqId !== undefined && (err instanceof KrakenParseError || err instanceof SyntaxError)) this.settle(Number(reqId), { kind: "unknown", reason: `kraken answer did not parse (${err.message})` });
      return;
    }
    if (a === null) return;
    this.settle(a.reqId, a.success ? { kind: "ok", result: a.result } : classifyErrors([a.error]));
  }
}
