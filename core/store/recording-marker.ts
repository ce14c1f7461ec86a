/**
 * The "recording open" marker `<dataDir>/recording.open.json` (owner-only): while a recorder runs,
 * it names the venues and symbols being recorded; a clean stop removes it. A marker found when the
 * market database is next opened for writing means the recording process died (kill -9, a crash,
 * power loss) and up to one flush interval of its events is gone, so each of its symbols gets an
 * `unclean_shutdown` row in `integrity_events` saying where the recorded data stops.
 *
 * DuckDB lets one process write the file, so a marker left by another process is always stale; one
 * of this process counts as stale only when the recorder that wrote it is no longer running.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";

/** File name of the marker inside the data directory. */
export const RECORDING_MARKER_FILE = "recording.open.json";

/** Integrity event type of a recording that ended without a clean stop. */
export const UNCLEAN_SHUTDOWN = "unclean_shutdown";

interface MarkerContent {
  pid: number;
  recorderId: string;
  startedAt: number;
  /** [venue, symbol] pairs recorded since `startedAt`. */
  pairs: [string, string][];
}

/** Ids of the recorders running in this process. */
const running = new Set<string>();

/** The marker of one recorder: written when it starts recording a symbol, removed on a clean stop. */
export class RecordingMarker {
  private readonly file: string;
  private readonly id = crypto.randomUUID();
  private readonly startedAt = Date.now();
  /** Symbols recorded, by venue (nested: no key is built per event on the recorder's hot path). */
  private readonly pairs = new Map<string, Set<string>>();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, RECORDING_MARKER_FILE);
  }

  /** Marks the recorder running (no file is written until a symbol is recorded). */
  open(): void {
    running.add(this.id);
  }

  /** Names a venue and symbol as recorded; writes the marker the first time each pair is seen. */
  add(venue: string, symbol: string): void {
    let symbols = this.pairs.get(venue);
    if (symbols?.has(symbol)) return;
    if (!symbols) this.pairs.set(venue, (symbols = new Set()));
    symbols.add(symbol);
    const pairs = [...this.pairs].flatMap(([v, set]) => [...set].map((s): [string, string] => [v, s]));
    const content: MarkerContent = { pid: process.pid, recorderId: this.id, startedAt: this.startedAt, pairs };
    const tmp = `${this.file}.${this.id}.tmp`;
    try {
      fs.writeFileSync(tmp, JSON.stringify(content), { mode: 0o600 });
      fs.renameSync(tmp, this.file);
    } catch {
      // Best effort (a full disk raises its own alarm in the recorder): recording goes on without it.
      fs.rmSync(tmp, { force: true });
    }
  }

  /** A clean stop: everything buffered was written (or recording stopped on an alarm); removes the marker. */
  close(): void {
    running.delete(this.id);
    try {
      if (readMarker(this.file)?.recorderId === this.id) fs.rmSync(this.file, { force: true });
    } catch {
      // Not removable now: the next open reports an outage that did not happen, nothing is lost.
    }
  }
}

function readMarker(file: string): MarkerContent | null {
  try {
    const value = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<MarkerContent> | null;
    if (!value || typeof value.recorderId !== "string" || !Array.isArray(value.pairs)) return null;
    return value as MarkerContent;
  } catch {
    return null;
  }
}

/** The last time anything of a pair was committed (trade or book snapshot), or null. */
async function lastRecorded(conn: DuckDBConnection, venue: string, symbol: string): Promise<number | null> {
  const rows = await conn.runAndReadAll(
    `SELECT greatest((SELECT max(ts) FROM trades WHERE venue = $1 AND symbol = $2), (SELECT max(ts) FROM book_snapshots WHERE venue = $1 AND symbol = $2))::DOUBLE`,
    [venue, symbol],
  );
  const value = rows.getRows()[0]?.[0];
  return typeof value === "number" ? value : null;
}

/**
 * Turns a marker left by a recorder that did not stop cleanly into one `unclean_shutdown`
 * integrity event per recorded symbol (at the time its recorded data stops; detail: `from`, `to`
 * = now, the dead recorder's `pid`), then removes the marker. Returns the events written.
 */
export async function recoverUncleanRecording(conn: DuckDBConnection, dataDir: string, now = Date.now()): Promise<number> {
  const file = path.join(dataDir, RECORDING_MARKER_FILE);
  const marker = readMarker(file);
  if (!marker) {
    fs.rmSync(file, { force: true });
    return 0;
  }
  if (marker.pid === process.pid && running.has(marker.recorderId)) return 0;
  const pairs = marker.pairs.filter((p): p is [string, string] => Array.isArray(p) && typeof p[0] === "string" && typeof p[1] === "string");
  for (const [venue, symbol] of pairs) {
    const from = await lastRecorded(conn, venue, symbol);
    const detail = JSON.stringify({ from, to: now, pid: marker.pid, recordingSince: marker.startedAt });
    await conn.run("INSERT INTO integrity_events VALUES ($1, $2, $3, $4, $5)", [venue, symbol, from ?? now, UNCLEAN_SHUTDOWN, detail]);
  }
  fs.rmSync(file, { force: true });
  return pairs.length;
}
