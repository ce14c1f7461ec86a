/**
 * The chunk server and a worker's blob cache: a run's token grants only its blobs and stops
 * working when the run closes; a cached blob that no longer matches its hash is fetched again.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlobCache } from "./chunk-cache.ts";
import { writeChunkFolder } from "./chunk-folder.ts";
import { ChunkServer } from "./chunk-server.ts";
import { runBlobs } from "./content.ts";

let dir = "";
let server: ChunkServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-chunks-"));
  server = await ChunkServer.start({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const bars = {
  symbol: "T",
  time: Float64Array.from({ length: 100 }, (_, i) => i * 60_000),
  open: new Float64Array(100).fill(1),
  high: new Float64Array(100).fill(2),
  low: new Float64Array(100).fill(0.5),
  close: new Float64Array(100).fill(1.5),
  volume: new Float64Array(100).fill(10),
};
const strategy = { code: "export default 1;", sourceMap: "{}", filename: "s.ts" };

describe("chunk server and blob cache", () => {
  it("re-fetches a corrupted cached blob and serves it only to its run's token", async () => {
    const blobs = runBlobs(bars, strategy);
    const other = server.openRun(runBlobs({ ...bars, symbol: "U" }, strategy).blobs);
    const access = server.openRun(blobs.blobs);
    const cache = new BlobCache(dir);
    const first = await cache.get(blobs.manifest, access);
    expect(JSON.parse(first.toString()).symbol).toBe("T");
    fs.writeFileSync(cache.fileOf(blobs.manifest), "corrupted");
    const again = await cache.get(blobs.manifest, access);
    expect(again.equals(first)).toBe(true);
    expect(cache.stats).toMatchObject({ corrupt: 1, fetched: 2 });
    await cache.get(blobs.manifest, access);
    expect(cache.stats.hits).toBe(1);

    const fresh = new BlobCache(path.join(dir, "other"));
    await expect(fresh.get(blobs.manifest, other)).rejects.toThrow(/404 not a blob of this run/);
    access.close();
    await expect(fresh.get(blobs.bundle, access)).rejects.toThrow(/403 no such run/);
    other.close();
  });

  it("reads a run's blobs from the shared chunk folder (0 bytes over HTTP), and fetches a corrupt one over HTTP with a warning", async () => {
    const blobs = runBlobs({ ...bars, symbol: "F" }, strategy);
    const folder = path.join(dir, "shared");
    expect(writeChunkFolder(folder, blobs.blobs)).toBe(blobs.blobs.size);
    expect(writeChunkFolder(folder, blobs.blobs)).toBe(0);
    const access = server.openRun(blobs.blobs);
    const source = { url: access.url, token: access.token, folder: true };
    const lines: string[] = [];
    const before = server.bytesServed;
    const cache = new BlobCache(path.join(dir, "folder-worker"), { chunksDir: folder, log: (l) => lines.push(l) });
    for (const hash of blobs.blobs.keys()) expect((await cache.get(hash, source)).equals(Buffer.from(blobs.blobs.get(hash)!))).toBe(true);
    expect(server.bytesServed - before).toBe(0);
    expect(cache.stats).toMatchObject({ fromFolder: blobs.blobs.size, fetched: 0 });

    fs.writeFileSync(path.join(folder, blobs.manifest), "corrupted");
    const other = new BlobCache(path.join(dir, "folder-worker-2"), { chunksDir: folder, log: (l) => lines.push(l) });
    const manifest = await other.get(blobs.manifest, source);
    expect(JSON.parse(manifest.toString()).symbol).toBe("F");
    expect(other.stats).toMatchObject({ fetched: 1 });
    expect(server.bytesServed - before).toBe(manifest.length);
    expect(lines).toEqual([`warning: chunk ${blobs.manifest.slice(0, 12)} in the shared folder ${folder} does not match its hash; fetching it over HTTP`]);
    access.close();
  });
});
