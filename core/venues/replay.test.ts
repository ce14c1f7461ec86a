import { describe, expect, it } from "vitest";
import type { Level } from "../../common/market/events.ts";
import { parseRecordingLine, ReplaySession, restKey } from "./replay.ts";
import type { VenueHandler, VenueRequest, VenueSink } from "./types.ts";
import { emptyStats } from "./types.ts";

/** A handler that logs what it receives and asks for `/x?symbol=S` on frames starting with "ask". */
class ProbeHandler implements VenueHandler {
  readonly venue = "binance" as const;
  readonly stats = emptyStats();
  readonly log: string[] = [];
  onFrame(text: string, t: number, sink: VenueSink): void {
    this.log.push(`frame ${text}@${t}`);
    if (text.startsWith("ask")) sink.request({ kind: "rest", venue: "binance", symbol: text.slice(4), path: `/x?symbol=${text.slice(4)}&limit=5` });
    if (text === "resub") sink.request({ kind: "resubscribe", venue: "binance", channel: "depth", symbol: "A", venueSymbol: "a" });
  }
  onRest(r: Extract<VenueRequest, { kind: "rest" }>, body: string, t: number): void {
    this.log.push(`rest ${r.symbol} ${body}@${t}`);
  }
  onRestError(): void {}
  onConnect(): void {}
  bookStatus(): null {
    return null;
  }
  bookView(): { bids: Level[]; asks: Level[] } | null {
    return null;
  }
}

describe("ReplaySession", () => {
  it("answers the n-th request per endpoint and symbol with the n-th rest line, at its t", () => {
    const h = new ProbeHandler();
    const remarks: string[] = [];
    const s = new ReplaySession(h, { event: () => {}, remark: (r) => remarks.push(r) });
    s.addResponse(20, "/x?symbol=A&limit=1000", "A1");
    s.addResponse(5, "/x?symbol=B", "B1");
    s.addResponse(25, "/x?limit=1&symbol=A", "A2");
    s.frame(10, "ask A");
    s.frame(20, "same-t frame goes first");
    s.frame(21, "ask A");
    s.frame(22, "ask B");
    s.frame(30, "ask A");
    s.frame(31, "resub");
    s.finish();
    expect(h.log).toEqual([
      "frame ask A@10",
      "frame same-t frame goes first@20",
      "rest A A1@20",
      "frame ask A@21",
      "frame ask B@22",
      "rest B B1@5",
      "rest A A2@25",
      "frame ask A@30",
      "frame resub@31",
    ]);
    expect(remarks).toEqual(["binance: no recorded response for /x?symbol=A&limit=5"]);
  });

  it("keys REST lines by endpoint and symbol only", () => {
    expect(restKey("/api/v3/depth?symbol=btcusdt&limit=5000")).toBe(restKey("/api/v3/depth?limit=100&symbol=BTCUSDT"));
    expect(restKey("/api/v3/depth?symbol=ETHUSDT")).not.toBe(restKey("/api/v3/depth?symbol=BTCUSDT"));
  });

  it("parses recording lines and reports bad ones", () => {
    expect(parseRecordingLine('{"t":1,"frame":"x"}')).toEqual({ t: 1, frame: "x" });
    expect(parseRecordingLine('{"t":2,"rest":{"path":"/p","body":"{}"}}')).toEqual({ t: 2, rest: { path: "/p", body: "{}" } });
    expect(parseRecordingLine("nope")).toEqual({ error: "not JSON" });
    expect(parseRecordingLine('{"frame":"x"}')).toEqual({ error: "missing t" });
    expect(parseRecordingLine('{"t":1}')).toEqual({ error: "neither frame nor rest" });
  });
});
