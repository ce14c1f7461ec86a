/**
 * Content-addressed blobs for work sent through the queue: the bars of a run as chunks of the
 * hand-off format (`common/strategy/bars-file.ts`) each named by its sha256, a data manifest
 * listing them (itself a blob), and the compiled strategy bundle. A job carries only these hashes;
 * whoever runs it fetches the blobs and checks every hash before using a byte.
 */
import crypto from "node:crypto";
import type { BarColumns } from "../../common/market/bars.ts";
import { encodeBars } from "../../common/strategy/bars-file.ts";
import type { PreparedStrategy } from "../strategy/runner.ts";

/** Bytes per data chunk (the last one may be shorter). */
export const CHUNK_BYTES = 8 * 1024 * 1024;

/** Hex sha256 of `bytes`. */
export function sha256(bytes: Uint8Array | string): string {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

/** A well-formed blob name: 64 lowercase hex digits. */
export function isBlobHash(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{64}$/.test(value);
}

/** The bars of a run: their symbol and count and the chunks that, concatenated, are their hand-off file. */
export interface DataManifest {
  symbol: string;
  bars: number;
  chunks: { hash: string; bytes: number }[];
}

/** The compiled strategy a job runs. */
export interface StrategyBundle {
  code: string;
  sourceMap: PreparedStrategy["sourceMap"];
  filename: string;
}

/** Blobs of one run by hash, and the hashes a job names. */
export interface RunBlobs {
  blobs: Map<string, Uint8Array>;
  manifest: string;
  bundle: string;
}

/** Cuts `bars` into chunks and adds them, their manifest and the bundle to one set of blobs. */
export function runBlobs(bars: BarColumns, strategy: StrategyBundle): RunBlobs {
  const values = encodeBars(bars);
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const blobs = new Map<string, Uint8Array>();
  const chunks: DataManifest["chunks"] = [];
  for (let off = 0; off < bytes.length; off += CHUNK_BYTES) {
    const chunk = bytes.subarray(off, Math.min(bytes.length, off + CHUNK_BYTES));
    const hash = sha256(chunk);
    blobs.set(hash, chunk);
    chunks.push({ hash, bytes: chunk.length });
  }
  const add = (value: unknown): string => {
    const blob = Buffer.from(JSON.stringify(value));
    const hash = sha256(blob);
    blobs.set(hash, blob);
    return hash;
  };
  const manifest: DataManifest = { symbol: bars.symbol, bars: bars.time.length, chunks };
  const bundle: StrategyBundle = { code: strategy.code, sourceMap: strategy.sourceMap, filename: strategy.filename };
  return { blobs, manifest: add(manifest), bundle: add(bundle) };
}

/** A manifest read from a blob, checked. */
export function parseManifest(blob: Uint8Array): DataManifest {
  const m = JSON.parse(Buffer.from(blob).toString("utf8")) as DataManifest;
  const ok = typeof m.symbol === "string" && Number.isInteger(m.bars) && Array.isArray(m.chunks) && m.chunks.every((c) => isBlobHash(c.hash) && Number.isInteger(c.bytes));
  if (!ok) throw new Error("bad data manifest");
  return m;
}

/** A strategy bundle read from a blob, checked. */
export function parseBundle(blob: Uint8Array): StrategyBundle {
  const b = JSON.parse(Buffer.from(blob).toString("utf8")) as StrategyBundle;
  if (typeof b.code !== "string" || typeof b.filename !== "string") throw new Error("bad strategy bundle");
  return b;
}
