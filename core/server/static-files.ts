/** Serves the built renderer from a folder, with an index.html fallback for client-side routes. */
import fs from "node:fs";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ttf": "font/ttf",
  ".woff2": "font/woff2",
  ".map": "application/json",
  ".d.ts": "text/plain; charset=utf-8",
};

/** A file to send: its absolute path and content type. */
export interface StaticFile {
  file: string;
  type: string;
}

/** Maps a URL path to a file inside `root`; never escapes it. Unknown paths without an extension get index.html. */
export function resolveStatic(root: string, urlPath: string): StaticFile | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const rel = path.normalize(decoded).replace(/^([/\\])+/, "");
  const file = path.join(root, rel);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  const candidate = fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
  const chosen = candidate ?? (path.extname(rel) === "" ? path.join(root, "index.html") : null);
  if (!chosen || !fs.existsSync(chosen)) return null;
  return { file: chosen, type: TYPES[path.extname(chosen)] ?? "application/octet-stream" };
}
