/**
 * A worker's local cache of blobs (data chunks, manifests, strategy bundles), one file per sha256
 * in `DIR/compute/blobs`. Every read checks the hash: a file that no longer matches (disk
 * corruption, a stray edit) is deleted and fetched again from the run's chunk server with the
 * run's token; a fetched blob is checked before it is stored. So a worker that saw a dataset once
 * never downloads it again, and never runs on bytes that are not the ones the job names. With a
 * shared chunk folder (`--chunks-dir`), a blob the coordinator put there is read from it first,
 * checked the same way; a missing or corrupt file falls back to HTTP with a warning.
 */
import fs from "node:fs";
import path from "node:path";
import { sha256 } from "./content.ts";

/** Where a job's blobs come from: the coordinator's chunk server and the run's read token. */
export interface BlobSource {
  url: string;
  token: string;
  /** The coordinator also wrote the run's blobs into the shared chunk folder (`--chunks-dir`). */
  folder?: boolean;
}

/** Options of a cache: the worker's view of the shared chunk folder, and where warnings go. */
export interface BlobCacheOptions {
  chunksDir?: string;
  log?: (line: string) => void;
}

/** Counters of a cache (for the worker's log and the benchmark). */
export interface CacheStats {
  hits: number;
  fetched: number;
  bytesFetched: number;
  corrupt: number;
  /** Blobs read (and verified) from the shared chunk folder. */
  fromFolder: number;
}

/** A verified, content-addressed local cache of blobs. */
export class BlobCache {
  readonly stats: CacheStats = { hits: 0, fetched: 0, bytesFetched: 0, corrupt: 0, fromFolder: 0 };
  private readonly dir: string;
  private readonly opts: BlobCacheOptions;

  constructor(dataDir: string, opts: BlobCacheOptions = {}) {
    this.opts = opts;
    this.dir = path.join(dataDir, "compute", "blobs");
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** Path of the cached file of `hash` (there or not). */
  fileOf(hash: string): string {
    return path.join(this.dir, hash);
  }

  /** The blob named `hash`: from the cache when intact, else fetched from `source`, checked and stored. */
  async get(hash: string, source: BlobSource, signal?: AbortSignal): Promise<Buffer> {
    const file = this.fileOf(hash);
    const cached = readIfExists(file);
    if (cached) {
      if (sha256(cached) === hash) {
        this.stats.hits++;
        return cached;
      }
      this.stats.corrupt++;
      fs.rmSync(file, { force: true });
    }
    const blob = this.fromFolder(hash, source) ?? (await this.fetched(hash, source, signal));
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, blob, { mode: 0o600 });
    fs.renameSync(tmp, file);
    return blob;
  }

  /** The blob from the shared chunk folder when the job says it is there and it matches its hash; else null (with a warning). */
  private fromFolder(hash: string, source: BlobSource): Buffer | null {
    const dir = this.opts.chunksDir;
    if (!dir || !source.folder) return null;
    const blob = readIfExists(path.join(dir, hash));
    if (blob && sha256(blob) === hash) {
      this.stats.fromFolder++;
      return blob;
    }
    const why = blob ? "does not match its hash" : "is missing";
    this.opts.log?.(`warning: chunk ${hash.slice(0, 12)} in the shared folder ${dir} ${why}; fetching it over HTTP`);
    return null;
  }

  private async fetched(hash: string, source: BlobSource, signal?: AbortSignal): Promise<Buffer> {
    const blob = await fetchBlob(hash, source, signal);
    this.stats.fetched++;
    this.stats.bytesFetched += blob.length;
    return blob;
  }
}

function readIfExists(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

/** Fetches one blob and checks its hash; throws a one-line reason (unreachable, refused, corrupt). */
async function fetchBlob(hash: string, source: BlobSource, signal?: AbortSignal): Promise<Buffer> {
  const url = `${source.url}/blobs/${hash}`;
  const timeout = AbortSignal.timeout(60_000);
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${source.token}` }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new Error(`cannot reach the chunk server at ${source.url}: ${cause}`, { cause: err });
  }
  if (!res.ok) throw new Error(`chunk server at ${source.url} refused blob ${hash.slice(0, 12)}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  const blob = Buffer.from(await res.arrayBuffer());
  if (sha256(blob) !== hash) throw new Error(`blob ${hash.slice(0, 12)} from ${source.url} does not match its hash`);
  return blob;
}
