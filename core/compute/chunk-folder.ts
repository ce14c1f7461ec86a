/**
 * The shared chunk folder (`--chunks-dir DIR`): a folder every machine can read (NFS, SMB, a
 * synced disk) where the coordinator writes each run's blobs named by sha256, so workers read
 * them there instead of over HTTP. Writes are atomic (a temp file renamed into place); a blob
 * already present with the right size is left alone. Workers check every hash they read.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Writes `blobs` into `dir` by hash (temp file + rename; present ones of the right size skipped); returns how many were written. */
export function writeChunkFolder(dir: string, blobs: ReadonlyMap<string, Uint8Array>): number {
  fs.mkdirSync(dir, { recursive: true });
  let written = 0;
  for (const [hash, blob] of blobs) {
    const file = path.join(dir, hash);
    if (sizeOf(file) === blob.length) continue;
    const tmp = path.join(dir, `.${hash}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`);
    try {
      fs.writeFileSync(tmp, blob);
      fs.renameSync(tmp, file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw new Error(`cannot write to the chunk folder ${dir}: ${(err as Error).message}`, { cause: err });
    }
    written++;
  }
  return written;
}

function sizeOf(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}
