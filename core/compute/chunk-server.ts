/**
 * The coordinator's chunk server: serves the blobs of the runs it coordinates over HTTP at
 * `GET /blobs/<sha256>`. Each run gets its own random read token (sent as `Authorization: Bearer
 * TOKEN`); a token grants only that run's blobs and stops working when the run closes (or after
 * its time limit). Binds loopback unless told otherwise (`--serve-data HOST:PORT`); the URL
 * workers use is `--advertise URL` or the bound address.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** Where the server listens and what URL it tells workers. */
export interface ChunkServerOptions {
  host: string;
  port: number;
  advertise?: string;
}

interface ServedRun {
  blobs: Map<string, Uint8Array>;
  expiresAt: number;
}

/** A run's access to the server: the token jobs carry and how to revoke it. */
export interface RunAccess {
  url: string;
  token: string;
  close(): void;
}

/** An HTTP server of content-addressed blobs, one read token per run. */
export class ChunkServer {
  private readonly runs = new Map<string, ServedRun>();
  /** Bytes sent so far (all runs). */
  bytesServed = 0;

  private readonly server: http.Server;
  /** Base URL workers fetch from. */
  readonly url: string;

  private constructor(server: http.Server, url: string) {
    this.server = server;
    this.url = url;
  }

  /** Starts listening; rejects with a one-line reason when the address cannot be bound. */
  static async start(opts: ChunkServerOptions): Promise<ChunkServer> {
    let self: ChunkServer | null = null;
    const server = http.createServer((req, res) => self?.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err) => reject(new Error(`cannot serve data on ${opts.host}:${opts.port}: ${err.message}`)));
      server.listen(opts.port, opts.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
    self = new ChunkServer(server, (opts.advertise ?? `http://${host}:${port}`).replace(/\/+$/, ""));
    return self;
  }

  /** Serves `blobs` under a fresh token until the access is closed or `ttlMs` passes. */
  openRun(blobs: Map<string, Uint8Array>, ttlMs = 7 * 24 * 3600_000): RunAccess {
    const token = crypto.randomBytes(24).toString("base64url");
    this.runs.set(token, { blobs, expiresAt: Date.now() + ttlMs });
    return { url: this.url, token, close: () => void this.runs.delete(token) };
  }

  /** Stops the server. */
  async close(): Promise<void> {
    this.runs.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const match = /^\/blobs\/([0-9a-f]{64})$/.exec(req.url ?? "");
    if (req.method !== "GET" || !match) return end(res, 404, "not found");
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    const run = token ? this.runs.get(token) : undefined;
    if (!token || !run || run.expiresAt < Date.now()) {
      if (token && run) this.runs.delete(token);
      return end(res, 403, "no such run or its token expired");
    }
    const blob = run.blobs.get(match[1]!);
    if (!blob) return end(res, 404, "not a blob of this run");
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": blob.length });
    res.end(blob);
    this.bytesServed += blob.length;
  }
}

function end(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "text/plain" });
  res.end(message);
}

/** `HOST:PORT` of `--serve-data` (IPv6 in brackets), checked. */
export function parseListenAddress(raw: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(raw);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || port > 65535) throw new Error(`--serve-data must be HOST:PORT (got "${raw}")`);
  return { host: m[1]!.replace(/^\[|\]$/g, ""), port };
}
