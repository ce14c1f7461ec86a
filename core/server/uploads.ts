/**
 * File uploads for import from a browser, which cannot hand core a file path: `POST /api/upload
 * ?name=FILE` (authenticated like every request) streams the body into a new file in the data
 * directory's `uploads/` folder and answers `{ file, name, bytes }`; the UI then imports that path
 * with `store.import`. The body is never held in memory; above `maxBytes` (by Content-Length at
 * once, or counted while streaming) the upload is refused with 413 and its file removed, as it is
 * when the client aborts. The file keeps the name's extension (Parquet and .gz are told by it).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import type http from "node:http";
import path from "node:path";
import { pipeline, Transform } from "node:stream";

/** The upload endpoint's path. */
export const UPLOAD_PATH = "/api/upload";
/** Largest upload by default: 2 GiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

/** Where uploads go and how large one may be. */
export interface UploadOptions {
  dir: string;
  maxBytes: number;
}

/** What an upload answers. */
export interface UploadAnswer {
  file: string;
  name: string;
  bytes: number;
}

const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(bytes >= 1024 ** 3 ? 0 : 2)} GB`;

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", connection: "close" }).end(JSON.stringify(body));
}

/** The uploaded file's name as the client gave it, reduced to a safe base name. */
export function safeUploadName(raw: string | null): string | null {
  const base = path.basename((raw ?? "").replace(/\\/g, "/")).replace(/[^\w.\- ]+/g, "_").slice(-120);
  return base === "" || base === "." || base === ".." ? null : base;
}

/** Receives one upload (see the file header). */
export function receiveUpload(req: http.IncomingMessage, res: http.ServerResponse, url: URL, opts: UploadOptions): void {
  const name = safeUploadName(url.searchParams.get("name"));
  if (!name) return answer(res, 400, { error: "the upload needs ?name= with the file's name" });
  const declared = Number(req.headers["content-length"] ?? NaN);
  const limit = `the file is larger than the ${gib(opts.maxBytes)} an upload may be; import it with the CLI (workstation import FILE)`;
  if (declared > opts.maxBytes) {
    req.resume();
    return answer(res, 413, { error: limit });
  }
  fs.mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const file = path.join(opts.dir, `${crypto.randomUUID()}-${name}`);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(bytes > opts.maxBytes ? new RangeError(limit) : null, chunk);
    },
  });
  pipeline(req, counter, fs.createWriteStream(file, { mode: 0o600 }), (err) => {
    if (!err) return answer(res, 200, { file, name, bytes } satisfies UploadAnswer);
    fs.rm(file, { force: true }, () => undefined);
    answer(res, err instanceof RangeError ? 413 : 400, { error: err instanceof RangeError ? limit : `upload interrupted: ${err.message}` });
  });
}
