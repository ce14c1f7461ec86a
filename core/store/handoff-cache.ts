/**
 * Warm bars hand-off files of one open market database: each entry is a file in the hand-off
 * format (`common/strategy/bars-file.ts`) for one request (symbol, venue, timeframe, range),
 * tagged with the data generation read before its query and a fingerprint of the Parquet files
 * it read. Workers read the file into their reused shared buffers, so a repeated request costs
 * no query and no fresh big allocation in core.
 *
 * Files live in a private folder in /dev/shm when there is one (memory, no disk I/O), else in the
 * temp folder; the folder is removed on close, and folders left by dead processes are removed at
 * the next open. An entry in use (leased) is never deleted under its reader: invalidation and
 * eviction only drop it from the index, and the file goes when the last lease is released.
 * Least recently used entries are evicted above `maxBytes`.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CandleSql } from "./candles.ts";
import { Flights } from "./flights.ts";

/** Default cap of the cached files (bytes): 20 series of 1M bars. */
export const DEFAULT_HANDOFF_CACHE_BYTES = 1024 * 1024 * 1024;

const PREFIX = "workstation-bars-";

/** One cached hand-off file. */
export interface HandoffEntry {
  key: string;
  file: string;
  bytes: number;
  /** Bars in the file (rows `[0, bars)`); it has room for `stride`. */
  bars: number;
  /** Column stride of the file (see `common/strategy/bars-file.ts`). */
  stride: number;
  /** The resolved venue of the data. */
  venue: string;
  /** The candle query the file was built with (reused for tail refreshes). */
  sql: CandleSql;
  /** Generation of the data when its query started (see `generations.ts`). */
  generation: string;
  /** Fingerprint of the Parquet files read, as of the query (see `bars-store-handoff.ts`). */
  fingerprint: string;
  /** Parquet globs read (registered sources and archive), for re-fingerprinting. */
  globs: string[];
  /** Values derived from the file (e.g. a run's data facts), computed once per entry. */
  memo: Map<string, unknown>;
  leases: number;
  dropped: boolean;
  lastUsed: number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes hand-off folders of processes that no longer run. */
function sweepStale(root: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (m && Number(m[1]) !== process.pid && !processAlive(Number(m[1]))) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

/** Where hand-off files go: /dev/shm when writable (memory, no disk I/O), else the temp folder. */
export function handoffRoot(): string {
  try {
    fs.accessSync("/dev/shm", fs.constants.W_OK);
    return "/dev/shm";
  } catch {
    return os.tmpdir();
  }
}

/** Index and files of the warm hand-offs of one market database. */
export class HandoffCache {
  readonly maxBytes: number;
  /** Single flight of the work on each key (see `flights.ts`). */
  readonly flights = new Flights();
  /** The venue a venue-less request of a symbol resolved to, and the symbol's generation before that lookup. */
  readonly venues = new Map<string, { generation: string; venue: string }>();
  private readonly root: string;
  private dir: string | null = null;
  private readonly entries = new Map<string, HandoffEntry>();
  private bytes = 0;

  constructor(opts: { root?: string; maxBytes?: number } = {}) {
    this.root = opts.root ?? handoffRoot();
    this.maxBytes = opts.maxBytes ?? DEFAULT_HANDOFF_CACHE_BYTES;
  }

  /** A fresh file path for a new entry (the folder is made on first use). */
  newFile(): string {
    if (this.dir === null) {
      sweepStale(this.root);
      this.dir = fs.mkdtempSync(path.join(this.root, `${PREFIX}${process.pid}-`));
      fs.chmodSync(this.dir, 0o700);
    }
    return path.join(this.dir, `${crypto.randomUUID()}.bin`);
  }

  /** The entry of `key`, leased, or undefined. The caller validates it and releases it. */
  lease(key: string): HandoffEntry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    entry.leases++;
    entry.lastUsed = performance.now();
    return entry;
  }

  /** Adds a leased entry (replacing any entry of its key) and evicts above the cap. */
  add(entry: Omit<HandoffEntry, "memo" | "leases" | "dropped" | "lastUsed">): HandoffEntry {
    const full: HandoffEntry = { ...entry, memo: new Map(), leases: 1, dropped: false, lastUsed: performance.now() };
    const old = this.entries.get(entry.key);
    if (old) this.drop(old);
    this.entries.set(entry.key, full);
    this.bytes += full.bytes;
    this.evict();
    return full;
  }

  /** Ends a lease; a dropped entry's file goes with its last lease. */
  release(entry: HandoffEntry): void {
    entry.leases = Math.max(0, entry.leases - 1);
    if (entry.dropped && entry.leases === 0) fs.rmSync(entry.file, { force: true });
  }

  /**
   * Ends a lease on a stale entry and drops it; returns its file for reuse when nothing else reads
   * it (rewriting a file in place reuses its memory pages, cheaper than fresh ones), else null.
   */
  reclaim(entry: HandoffEntry): string | null {
    if (entry.dropped || entry.leases > 1) {
      this.release(entry);
      this.drop(entry);
      return null;
    }
    this.drop(entry, true);
    entry.leases = 0;
    return entry.file;
  }

  /** Removes an entry from the index (stale or evicted); its file goes once no lease holds it (unless kept for reuse). */
  drop(entry: HandoffEntry, keepFile = false): void {
    if (entry.dropped) return;
    entry.dropped = true;
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    this.bytes -= entry.bytes;
    if (entry.leases === 0 && !keepFile) fs.rmSync(entry.file, { force: true });
  }

  /** Bytes of the indexed entries. */
  size(): number {
    return this.bytes;
  }

  private evict(): void {
    if (this.bytes <= this.maxBytes) return;
    const byAge = [...this.entries.values()].sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of byAge) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(entry);
    }
  }

  /** Drops every entry and removes the folder (files still leased go with it: call at close). */
  clear(): void {
    this.venues.clear();
    for (const entry of [...this.entries.values()]) this.drop(entry);
    if (this.dir !== null) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
