/** Test and benchmark helpers: fixture paths and a replay that collects everything. */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { MarketEvent, VenueId } from "../../common/market/events.ts";
import { parseRecordingLine, ReplaySession } from "./replay.ts";
import type { VenueHandler, VenueRequest } from "./types.ts";

/** Path of a venue's recorded fixture session. */
export function fixturePath(venue: VenueId, file = "session.jsonl"): string {
  return path.join(import.meta.dirname, venue, "fixtures", file);
}

/** The frames (text only) of a venue's fixture session, in order. */
export function fixtureFrames(venue: VenueId): string[] {
  return readLines(fixturePath(venue)).flatMap((l) => {
    const r = parseRecordingLine(l);
    return "frame" in r ? [r.frame] : [];
  });
}

/** The expected replay output of a venue's fixture. */
export function expectedEvents(venue: VenueId): MarketEvent[] {
  return readLines(fixturePath(venue, "expected.ndjson")).map((l) => JSON.parse(l) as MarketEvent);
}

function readLines(file: string): string[] {
  return readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "");
}

/** Replays recording lines through `handler`, collecting events, requests and remarks. */
export function replayLines(handler: VenueHandler, lines: string[]): { events: MarketEvent[]; requests: VenueRequest[]; remarks: string[] } {
  const events: MarketEvent[] = [];
  const requests: VenueRequest[] = [];
  const remarks: string[] = [];
  const session = new ReplaySession(handler, { event: (e) => events.push(e), remark: (r) => remarks.push(r), request: (r) => requests.push(r) });
  const parsed = lines.map(parseRecordingLine);
  for (const p of parsed) if ("rest" in p) session.addResponse(p.t, p.rest.path, p.rest.body);
  for (const p of parsed) if ("frame" in p) session.frame(p.t, p.frame);
  session.finish();
  return { events, requests, remarks };
}

/** Replays a venue's fixture file. */
export function replayFixture(handler: VenueHandler, venue: VenueId): ReturnType<typeof replayLines> {
  return replayLines(handler, readLines(fixturePath(venue)));
}
