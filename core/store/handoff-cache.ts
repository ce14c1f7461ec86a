/**
 * Warm bars hand-off files of one open market database: each entry is a file in the hand-off
 * format (`common/strategy/bars-file.ts`) for one request (symbol, venue, timeframe, range),
 * tagged with the data generation read before its query and a fingerprint of the Parquet files
 * it read. Workers read the file into their reused shared buffers, so a repeated request costs
 * no query and no fresh big allocation in core.
 *
 * The database's owner keeps the files in the data directory's cache folder, and the entries still
 * valid at a clean close survive to the next open (`handoff-persist.ts`). A read-only opener keeps
 * them in a private folder in /dev/shm when there is one (memory, no disk I/O), else in the temp
 * folder; that folder is removed on close, and folders left by dead processes at the next open.
 * An entry in use (leased) is never deleted under its reader: invalidation and eviction only drop
 * it from the index, and the file goes when the last lease is released. Least recently used
 * entries are evicted above `maxBytes`.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CandleSql } from "./candles.ts";
import { Flights } from "./flights.ts";
import type { DataGenerations } from "./generations.ts";
import { sweepFolder, type KeptHandoffs, type PersistedEntry, type PersistedIndex } from "./handoff-persist.ts";

/** Default cap of the cached files (bytes): 20 series of 1M bars. */
export const DEFAULT_HANDOFF_CACHE_BYTES = 1024 * 1024 * 1024;

const PREFIX = "workstation-bars-";

/** One cached hand-off file: what is persisted (`file` here is its full path), and what lives only in memory. */
export interface HandoffEntry extends PersistedEntry {
  /** The candle query the file was built with (reused for tail refreshes; null when restored from disk until one is needed). */
  sql: CandleSql | null;
  /** Generation of the data when its query started (see `generations.ts`). */
  generation: string;
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
  /** The folder of the files: the owner's cache folder, or a private one made on first use. */
  private dir: string | null;
  private readonly durable: boolean;
  private readonly entries = new Map<string, HandoffEntry>();
  private bytes = 0;

  /** `folder`: the database owner's cache folder (entries may outlive the process); else a private temporary folder. */
  constructor(opts: { root?: string; maxBytes?: number; folder?: string } = {}) {
    this.root = opts.root ?? handoffRoot();
    this.maxBytes = opts.maxBytes ?? DEFAULT_HANDOFF_CACHE_BYTES;
    this.durable = opts.folder !== undefined;
    this.dir = opts.folder ?? null;
    if (this.dir !== null) fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** A fresh file path for a new entry (a private folder is made on first use; the owner's folder again if it was removed). */
  newFile(): string {
    if (this.durable && this.dir !== null) fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (this.dir === null) {
      sweepStale(this.root);
      this.dir = fs.mkdtempSync(path.join(this.root, `${PREFIX}${process.pid}-`));
      fs.chmodSync(this.dir, 0o700);
    }
    return path.join(this.dir, `${crypto.randomUUID()}.bin`);
  }

  /**
   * Takes in the entries of a persisted index (see `handoff-persist.ts`), tagged with the current
   * generations (nothing has been written since they were valid), and removes every other file of
   * the cache folder. `index` null: nothing to restore, the folder is emptied.
   */
  restore(index: PersistedIndex | null, generations: DataGenerations): void {
    if (!this.durable || this.dir === null) return;
    const keep = new Set<string>();
    for (const e of index?.entries ?? []) {
      if (e.bytes > this.maxBytes - this.bytes) continue;
      keep.add(e.file);
      const { file, ...rest } = e;
      this.add({ ...rest, file: path.join(this.dir, file), sql: null, generation: generations.of(e.symbol, e.venue) }).leases = 0;
    }
    for (const [symbol, venue] of index?.venues ?? []) this.venues.set(symbol, { generation: generations.of(symbol), venue });
    sweepFolder(this.dir, keep);
  }

  /**
   * Closes the cache: the entries still valid (their generation current, nothing leased) are kept
   * and returned for a persisted index when the cache is durable; every other file goes.
   */
  close(generations: DataGenerations): KeptHandoffs {
    const kept: PersistedEntry[] = [];
    for (const entry of [...this.entries.values()]) {
      if (!this.durable || entry.leases > 0 || entry.generation !== generations.of(entry.symbol, entry.venue)) continue;
      this.entries.delete(entry.key);
      const { key, symbol, venue, file, bytes, bars, stride, fingerprint, globs } = entry;
      kept.push({ key, symbol, venue, file: path.basename(file), bytes, bars, stride, fingerprint, globs });
    }
    const venues = [...this.venues].filter(([symbol, v]) => v.generation === generations.of(symbol)).map(([symbol, v]): [string, string] => [symbol, v.venue]);
    this.clear();
    return { entries: kept, venues };
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
    if (entry.dropped || entry.leases > 1 || !fs.existsSync(entry.file)) {
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

  /** The most bars any indexed entry holds (0 when empty). */
  largestBars(): number {
    let most = 0;
    for (const entry of this.entries.values()) most = Math.max(most, entry.bars);
    return most;
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

  /** Drops every entry (files still leased go too: call at close) and removes a private folder. */
  clear(): void {
    this.venues.clear();
    for (const entry of [...this.entries.values()]) {
      this.drop(entry);
      fs.rmSync(entry.file, { force: true });
    }
    if (this.dir !== null && !this.durable) {
      fs.rmSync(this.dir, { recursive: true, force: true });
      this.dir = null;
    }
  }
}
