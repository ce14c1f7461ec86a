/**
 * Replays a recorded venue session through a venue handler, exactly as live would feed it.
 *
 * Recording format, one JSON object per line: `{"t":<receive ms>,"frame":"<exact text frame>"}`
 * for WebSocket frames and `{"t":<ms>,"rest":{"path":"<path and query>","body":"<text>"}}` for REST
 * responses the feed needed. Frames are delivered in file order. When the handler asks for a REST
 * resource, the n-th request for an endpoint and symbol is answered by the n-th `rest` line for that
 * endpoint and symbol in file order (other query parameters may differ), as received at that line's
 * `t`: it is delivered just before the first later frame whose `t` is greater, so every frame with
 * an earlier or equal `t` goes first. Resubscribe requests are ignored: the recording already holds
 * the venue's answers. A request with no recorded response is reported and left unanswered.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { MarketEvent } from "../../common/market/events.ts";
import type { QuoteUpdate, VenueHandler, VenueNotice, VenueRequest, VenueSink } from "./types.ts";

/** One parsed recording line. */
export type RecordingLine = { t: number; frame: string } | { t: number; rest: { path: string; body: string } };

type RestRequest = Extract<VenueRequest, { kind: "rest" }>;

interface RecordedResponse {
  t: number;
  path: string;
  body: string;
}

interface Pending {
  request: RestRequest;
  response: RecordedResponse;
  order: number;
}

/** Parses one recording line; null (with the reason) when it is not a valid line. */
export function parseRecordingLine(line: string): RecordingLine | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { error: "not JSON" };
  }
  if (typeof v !== "object" || v === null) return { error: "not an object" };
  const o = v as Record<string, unknown>;
  if (typeof o.t !== "number" || !Number.isFinite(o.t)) return { error: "missing t" };
  if (typeof o.frame === "string") return { t: o.t, frame: o.frame };
  const rest = o.rest as Record<string, unknown> | undefined;
  if (typeof rest === "object" && rest !== null && typeof rest.path === "string" && typeof rest.body === "string") {
    return { t: o.t, rest: { path: rest.path, body: rest.body } };
  }
  return { error: "neither frame nor rest" };
}

/** The key a REST request or response is matched on: endpoint path plus the `symbol` parameter. */
export function restKey(path: string): string {
  const q = path.indexOf("?");
  const endpoint = q < 0 ? path : path.slice(0, q);
  const symbol = q < 0 ? null : new URLSearchParams(path.slice(q + 1)).get("symbol");
  return `${endpoint} ${(symbol ?? "").toUpperCase()}`;
}

/** Outputs of a replay. */
export interface ReplayOutput {
  event(event: MarketEvent): void;
  /** Human-readable remarks (bad lines, venue errors, unanswered requests); stderr in the CLI. */
  remark(text: string): void;
  /** Every request the handler made (answered from the recording or ignored). */
  request?(request: VenueRequest): void;
}

/** Feeds recorded lines to a handler. Add every `rest` line first, then frames in order, then finish. */
export class ReplaySession {
  private readonly responses = new Map<string, RecordedResponse[]>();
  private readonly pending: Pending[] = [];
  private order = 0;
  private readonly sink: VenueSink;
  private readonly handler: VenueHandler;
  private readonly output: ReplayOutput;

  constructor(handler: VenueHandler, output: ReplayOutput) {
    this.handler = handler;
    this.output = output;
    this.sink = {
      event: (e) => output.event(e),
      request: (r) => this.onRequest(r),
      quote: (_q: QuoteUpdate) => {},
      notice: (n: VenueNotice) => {
        if (n.kind === "venue_error") output.remark(`${n.exchange}: venue error: ${n.message}`);
      },
    };
  }

  /** Registers a recorded REST response (call for every `rest` line, in file order, before frames). */
  addResponse(t: number, path: string, body: string): void {
    const key = restKey(path);
    let queue = this.responses.get(key);
    if (!queue) this.responses.set(key, (queue = []));
    queue.push({ t, path, body });
  }

  /** Delivers one frame received at `t`, after every pending response received before it. */
  frame(t: number, text: string): void {
    this.deliverUntil(t);
    this.handler.onFrame(text, t, this.sink);
  }

  /** Delivers every response still pending. */
  finish(): void {
    this.deliverUntil(Infinity);
  }

  private onRequest(request: VenueRequest): void {
    this.output.request?.(request);
    if (request.kind !== "rest") return;
    const queue = this.responses.get(restKey(request.path));
    const response = queue?.shift();
    if (!response) {
      this.output.remark(`${request.venue}: no recorded response for ${request.path}`);
      return;
    }
    this.pending.push({ request, response, order: this.order++ });
  }

  /** Delivers pending responses with t < `before` (all when Infinity), earliest first. */
  private deliverUntil(before: number): void {
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.pending.length; i++) {
        const p = this.pending[i]!;
        if (p.response.t >= before && before !== Infinity) continue;
        const b = best < 0 ? undefined : this.pending[best]!;
        if (!b || p.response.t < b.response.t || (p.response.t === b.response.t && p.order < b.order)) best = i;
      }
      if (best < 0) return;
      const [p] = this.pending.splice(best, 1);
      this.handler.onRest(p!.request, p!.response.body, p!.response.t, this.sink);
    }
  }
}

/** Streams the lines of a file (without line endings); blank lines are skipped. */
async function* fileLines(path: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim() !== "") yield line;
}

/**
 * Replays a recording file: one pass registers the `rest` lines, a second streams the frames.
 * Rejects only when the file cannot be read; bad lines are remarked and skipped.
 */
export async function replayFile(path: string, handler: VenueHandler, output: ReplayOutput): Promise<void> {
  const session = new ReplaySession(handler, output);
  let n = 0;
  for await (const line of fileLines(path)) {
    n++;
    const parsed = parseRecordingLine(line);
    if ("rest" in parsed) session.addResponse(parsed.t, parsed.rest.path, parsed.rest.body);
    else if ("error" in parsed) output.remark(`line ${n}: skipped (${parsed.error})`);
  }
  for await (const line of fileLines(path)) {
    const parsed = parseRecordingLine(line);
    if ("frame" in parsed) session.frame(parsed.t, parsed.frame);
  }
  session.finish();
}
