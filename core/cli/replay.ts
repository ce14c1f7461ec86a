/**
 * `workstation replay --venue V --input FILE.jsonl`: runs a recorded session through the venue's
 * handler — the same parse and book code live feeds use — and prints the normalized events as
 * NDJSON on stdout. Remarks (skipped lines, venue error replies, unanswered REST requests) and a
 * summary go to stderr. Exit 0 unless the file cannot be read.
 */
import { access, constants } from "node:fs/promises";
import { escapeControls } from "../../common/text/escape.ts";
import { createHandler, isVenueId, VENUES } from "../venues/index.ts";
import { replayFile } from "../venues/replay.ts";
import { UsageError, type CliCommand } from "./command.ts";

/** The replay command. */
export const replayCommand: CliCommand = {
  name: "replay",
  usage: "--venue kraken|coinbase|binance --input FILE.jsonl",
  help: [
    `--venue V          venue the recording is from (${VENUES.join(", ")})`,
    "--input FILE       recording: one {\"t\",\"frame\"} or {\"t\",\"rest\"} JSON object per line",
  ],
  options: { venue: { type: "string" }, input: { type: "string" } },
  async run(args, io) {
    const venue = args.values.venue;
    const input = args.values.input;
    if (typeof venue !== "string") throw new UsageError("--venue is required");
    if (!isVenueId(venue)) throw new UsageError(`--venue must be one of ${VENUES.join(", ")}`);
    if (typeof input !== "string") throw new UsageError("--input is required");
    try {
      await access(input, constants.R_OK);
    } catch {
      throw new Error(`cannot read ${input}`);
    }
    const handler = createHandler(venue);
    let events = 0;
    await replayFile(input, handler, {
      event: (e) => {
        events++;
        io.out(JSON.stringify(e));
      },
      remark: (text) => io.err(escapeControls(text)),
    });
    const s = handler.stats;
    io.err(`${venue}: ${s.frames} frames, ${events} events, ${s.malformed} malformed, ${s.unknown} unknown, ${s.gaps} gaps, ${s.checksumMismatches} checksum mismatches`);
    return 0;
  },
};
