/**
 * CSV/Parquet bars read once: the first run on a data file writes its bars in the hand-off format
 * (`common/strategy/bars-file.ts`) into the data directory's `cache/file-bars/` folder with an entry
 * describing them; a later run on the same file and range hands that file straight to the worker
 * (no CSV parsed, no columns in the calling process).
 *
 * An entry is keyed by the file's absolute path and the read options, and valid only while the file
 * has the same identity (size, mtime, ctime, inode, device) and the same content fingerprint
 * (`sampleFingerprint`): a file rewritten in place keeps neither its ctime nor, almost always, its
 * sampled content. The cached bars file itself is checked against the entry (size, bar count,
 * fingerprint), and the entry carries the cache format and the app version. A changed data file is
 * simply read again; a damaged, truncated or foreign entry, or a file rewritten in place with the
 * same size and mtime, is read again after one warning line. Never a wrong answer: anything that
 * does not match exactly is a miss.
 */
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { TIMEFRAMES, type BarColumns, type Timeframe } from "../../common/market/bars.ts";
import type { BarsFileRef } from "../../common/strategy/bars-file.ts";
import { VERSION } from "../version.ts";
import { writeBarsFile } from "./bars-handoff.ts";
import { cacheFolder, evictOldest, readCacheJson, sampleFingerprint, writeAtomic } from "./cache-files.ts";
import { dataFacts, type DataFacts } from "./data.ts";

/** Version of the entry layout; an entry of another format is read afresh. */
export const FILE_BARS_FORMAT = 1;
/** Cap of the cached bars files (bytes): about 20 files of 1M bars. */
const MAX_BYTES = 1024 * 1024 * 1024;

/** Which bars of which file. */
export interface FileBarsRequest {
  file: string;
  from?: number | undefined;
  to?: number | undefined;
  /** Bar length for trades files. */
  timeframe?: Timeframe | undefined;
}

/** Bars of a data file in a hand-off file of the cache. */
export interface FileBars {
  ref: BarsFileRef;
  count: number;
  symbol: string;
  facts: DataFacts;
  /** The columns, when this call read the data file (a cache miss); null on a hit. */
  columns: BarColumns | null;
  hit: boolean;
}

interface Identity {
  path: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
  ino: string;
  dev: string;
}

interface Entry {
  format: number;
  version: string;
  request: { file: string; from: number | null; to: number | null; timeframe: string | null };
  identity: Identity;
  fingerprint: string;
  symbol: string;
  bars: number;
  facts: DataFacts;
  bin: { bytes: number; fingerprint: string };
}

function identityOf(file: string): Identity {
  const st = fs.statSync(file, { bigint: true });
  return { path: file, size: String(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs), ino: String(st.ino), dev: String(st.dev) };
}

const sameIdentity = (a: Identity, b: Identity): boolean => (Object.keys(a) as (keyof Identity)[]).every((k) => a[k] === b[k]);

/** Why a stored entry cannot serve `request` now: null when it can, "changed" for an ordinary edit of the data file, else a reason worth a warning. */
function entryProblem(value: Record<string, unknown>, request: Entry["request"], identity: Identity, binFile: string): string | "changed" | null {
  const e = value as unknown as Entry;
  if (e.format !== FILE_BARS_FORMAT || e.version !== VERSION) return `written by another version (${String(e.version)}, format ${String(e.format)})`;
  if (!e.identity || !e.request || !e.bin || typeof e.bars !== "number" || !e.facts) return "not a valid cache entry (corrupt or truncated)";
  if (JSON.stringify(e.request) !== JSON.stringify(request)) return "not a valid cache entry (another file's)";
  if (e.identity.size !== identity.size || e.identity.mtimeNs !== identity.mtimeNs) return "changed";
  if (!sameIdentity(e.identity, identity) || sampleFingerprint(identity.path) !== e.fingerprint) return "the data file was rewritten or touched in place (same size and modification time)";
  const st = fs.statSync(binFile, { throwIfNoEntry: false });
  if (!st || st.size !== e.bin.bytes || st.size !== 8 * (1 + 6 * e.bars)) return "its bars file is missing or truncated";
  if (sampleFingerprint(binFile) !== e.bin.fingerprint) return "its bars file is corrupt";
  return null;
}

async function readAndStore(
  req: FileBarsRequest,
  request: Entry["request"],
  paths: { json: string; bin: string },
  check: (bars: BarColumns) => void,
  remember: boolean,
): Promise<FileBars> {
  const before = identityOf(request.file);
  fs.rmSync(paths.json, { force: true });
  const range = { ...(req.from !== undefined ? { from: req.from } : {}), ...(req.to !== undefined ? { to: req.to } : {}), ...(req.timeframe ? { timeframe: req.timeframe } : {}) };
  // Loaded only on a miss: a hit never needs the readers (nor DuckDB behind them).
  const { readBarsFromFile } = await import("../datafiles/index.ts");
  const columns = await readBarsFromFile(request.file, range);
  check(columns);
  const facts = dataFacts(columns, req.timeframe ? TIMEFRAMES[req.timeframe] : undefined);
  // Not a regular file (a pipe, a device): read once as it streams, never sampled or remembered.
  const fingerprint = remember ? sampleFingerprint(request.file) : "";
  writeAtomic(paths.bin, (tmp) => writeBarsFile(tmp, columns));
  const ref: BarsFileRef = { file: paths.bin, symbol: columns.symbol };
  // A data file that changed while it was read is used for this run but not remembered.
  if (remember && sameIdentity(before, identityOf(request.file))) {
    const entry: Entry = {
      format: FILE_BARS_FORMAT,
      version: VERSION,
      request,
      identity: before,
      fingerprint,
      symbol: columns.symbol,
      bars: columns.time.length,
      facts,
      bin: { bytes: fs.statSync(paths.bin).size, fingerprint: sampleFingerprint(paths.bin) },
    };
    writeAtomic(paths.json, (tmp) => fs.writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 }));
  }
  return { ref, count: columns.time.length, symbol: columns.symbol, facts, columns, hit: false };
}

function evict(dir: string): void {
  const binOf = (json: string) => json.replace(/\.json$/, ".bin");
  evictOldest(
    dir,
    MAX_BYTES,
    (json) => fs.statSync(binOf(json), { throwIfNoEntry: false })?.size ?? 0,
    (json) => {
      fs.rmSync(json, { force: true });
      fs.rmSync(binOf(json), { force: true });
    },
  );
}

/**
 * The bars of `req` as a hand-off file in `dataDir`'s cache: the cached one when still valid, else
 * read from the data file (`check` refuses unusable bars before they are cached) and cached.
 * `warn` gets one line when a cache entry had to be thrown away for a reason other than an edit.
 */
export async function fileBars(dataDir: string, req: FileBarsRequest, check: (bars: BarColumns) => void, warn: (line: string) => void): Promise<FileBars> {
  const file = path.resolve(req.file);
  const request: Entry["request"] = { file, from: req.from ?? null, to: req.to ?? null, timeframe: req.timeframe ?? null };
  const dir = cacheFolder(dataDir, "file-bars");
  const key = crypto.createHash("sha1").update(JSON.stringify(request)).digest("hex").slice(0, 32);
  const paths = { json: path.join(dir, `${key}.json`), bin: path.join(dir, `${key}.bin`) };
  const regular = fs.statSync(file).isFile();
  const stored = regular ? readCacheJson(paths.json) : ({ state: "absent" } as const);
  if (stored.state === "ok") {
    const problem = entryProblem(stored.value, request, identityOf(file), paths.bin);
    if (problem === null) {
      const e = stored.value as unknown as Entry;
      const now = new Date();
      fs.utimesSync(paths.json, now, now);
      return { ref: { file: paths.bin, symbol: e.symbol }, count: e.bars, symbol: e.symbol, facts: e.facts, columns: null, hit: true };
    }
    if (problem !== "changed") warn(`warning: bars cache of ${path.basename(file)} not used: ${problem}; reading the file afresh`);
  } else if (stored.state === "damaged") {
    warn(`warning: bars cache of ${path.basename(file)} not used: ${stored.why}; reading the file afresh`);
  }
  const fresh = await readAndStore(req, request, paths, check, regular);
  evict(dir);
  return fresh;
}
