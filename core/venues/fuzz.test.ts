/**
 * Fuzz: random, truncated and mutated frames into every venue handler. Nothing may throw; a frame
 * that is not valid becomes exactly one `error` event; whatever is emitted is well-formed.
 */
import { describe, expect, it } from "vitest";
import { canonicalDecimal } from "../../common/market/decimal.ts";
import type { Level, MarketEvent, VenueId } from "../../common/market/events.ts";
import { createHandler, VENUES } from "./index.ts";
import { seededRandom } from "../../common/random.ts";
import { fixtureFrames } from "./testing.ts";
import { CollectingSink } from "./types.ts";

const ALPHABET = '{}[]":,.-+eE0123456789 truefalsn\\u"abcXYZ\n\t\u00e9\u2028';

function randomText(next: () => number): string {
  const n = Math.floor(next() * 80);
  let s = "";
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return s;
}

function isLevel(l: Level): boolean {
  return Array.isArray(l) && l.length === 2 && canonicalDecimal(l[0]) === l[0] && canonicalDecimal(l[1]) === l[1] && !l[0].startsWith("-") && !l[1].startsWith("-");
}

function wellFormed(e: MarketEvent, venue: VenueId): boolean {
  if (e.exchange !== venue) return false;
  switch (e.type) {
    case "trade":
      return /^[A-Z0-9]+\/[A-Z0-9]+$/.test(e.symbol) && isLevel([e.price, e.size]) && (e.side === "buy" || e.side === "sell") && typeof e.tradeId === "string" && Number.isInteger(e.ts);
    case "book_snapshot":
    case "book_update":
      return e.bids.every(isLevel) && e.asks.every(isLevel) && Number.isInteger(e.ts);
    case "gap":
      return Number.isInteger(e.expected) && Number.isInteger(e.got);
    case "checksum_mismatch":
      return typeof e.symbol === "string";
    case "error":
      return e.reason === "malformed_frame" || e.reason === "unknown_message";
  }
}

function feed(venue: VenueId, frames: string[], text: string): MarketEvent[] {
  const h = createHandler(venue);
  const sink = new CollectingSink();
  for (const f of frames) h.onFrame(f, 1, sink);
  const before = sink.events.length;
  h.onFrame(text, 2, sink);
  return sink.events.slice(before);
}

describe.each(VENUES)("fuzz %s", (venue) => {
  const frames = fixtureFrames(venue);

  it("turns every truncated frame into exactly one malformed_frame error", () => {
    let count = 0;
    for (const frame of frames) {
      for (let cut = 0; cut < frame.length; cut += 1 + Math.floor(frame.length / 97)) {
        const events = feed(venue, [], frame.slice(0, cut));
        expect(events, frame.slice(0, cut)).toEqual([{ type: "error", exchange: venue, reason: "malformed_frame" }]);
        count++;
      }
    }
    expect(count).toBeGreaterThan(500);
  });

  it("turns random text into exactly one error event", () => {
    const next = seededRandom(venue.length * 7919);
    for (let i = 0; i < 3000; i++) {
      const events = feed(venue, [], randomText(next));
      expect(events).toHaveLength(1);
      expect(events[0]?.type).toBe("error");
    }
  });

  it("never throws on mutated frames mid-session and emits only well-formed events", () => {
    const next = seededRandom(venue.length * 104729);
    const h = createHandler(venue);
    const sink = new CollectingSink();
    for (let i = 0; i < 4000; i++) {
      const base = frames[Math.floor(next() * frames.length)]!;
      const chars = [...base];
      const edits = 1 + Math.floor(next() * 3);
      for (let k = 0; k < edits; k++) chars[Math.floor(next() * chars.length)] = ALPHABET[Math.floor(next() * ALPHABET.length)]!;
      const before = sink.events.length;
      expect(() => h.onFrame(chars.join(""), i, sink)).not.toThrow();
      const emitted = sink.events.slice(before);
      expect(emitted.filter((e) => e.type === "error").length).toBeLessThanOrEqual(1);
      for (const e of emitted) expect(wellFormed(e, venue), JSON.stringify(e)).toBe(true);
      if (venue === "binance" && sink.requests.length > 0) {
        const r = sink.requests.pop()!;
        if (r.kind === "rest") expect(() => h.onRest(r, randomText(next), i, sink)).not.toThrow();
      }
    }
  });
});
