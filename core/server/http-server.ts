/**
 * The loopback HTTP + WebSocket server of core. Every request passes the Host check, the Origin
 * check (browsers) and the token check; refusals are logged. A page load with `?token=` sets an
 * HttpOnly, SameSite=Strict cookie and redirects to the clean URL. The API is the WebSocket at `/api`.
 * `GET /api/instance` answers the instance id without the token (Host and Origin still checked), so
 * a starting core can tell a live core from a stale lock. No input may crash core: a request target
 * that does not parse is answered 400, and every request and upgrade runs under a last-resort guard.
 * `POST /api/upload` streams a file for import into the data directory (`uploads.ts`).
 */
import fs from "node:fs";
import http from "node:http";
import { pipeline, type Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { Logger } from "../log.ts";
import { resolveStatic } from "./static-files.ts";
import { receiveUpload, UPLOAD_PATH, type UploadOptions } from "./uploads.ts";
import {
  INSTANCE_PATH,
  TOKEN_COOKIE,
  contentSecurityPolicy,
  isAllowedHost,
  isAllowedOrigin,
  presentedToken,
  tokenMatches,
} from "./security.ts";

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  /** 0 = any free port. */
  port: number;
  token: string;
  /** Folder of the built renderer; a help page is served when it is missing. */
  staticDir: string;
  log: Logger;
  /** Called for each accepted API WebSocket. */
  onSocket: (socket: WebSocket) => void;
  /** Answers `GET /api/health` (authenticated). */
  health: () => unknown;
  /** Answered by the unauthenticated `GET /api/instance` (see {@link INSTANCE_PATH}). */
  instanceId: string;
  /** Where `POST /api/upload` stores files (see `uploads.ts`); no uploads without it. */
  uploads?: UploadOptions;
}

/** A started server. */
export interface RunningHttpServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

type Refusal = { status: number; reason: string };

/** What the checks decided about one request: refused, or allowed with its parsed URL. */
type Checked = { refusal: Refusal; url: URL | null } | { refusal: null; url: URL; fromQuery: boolean; open: boolean };

/** Parses a request target against this server's origin; null for one that does not parse (e.g. `http://[/`). */
export function parseRequestTarget(target: string | undefined, port: number): URL | null {
  try {
    return new URL(target ?? "/", `http://127.0.0.1:${port}`);
  } catch {
    return null;
  }
}

function checkRequest(req: http.IncomingMessage, port: number, token: string): Checked {
  const url = parseRequestTarget(req.url, port);
  if (!url) return { refusal: { status: 400, reason: "bad request target" }, url };
  if (!isAllowedHost(req.headers.host, port)) return { refusal: { status: 421, reason: "bad host" }, url };
  const origin = typeof req.headers.origin === "string" ? req.headers.origin : undefined;
  if (!isAllowedOrigin(origin, port)) return { refusal: { status: 403, reason: "foreign origin" }, url };
  if (url.pathname === INSTANCE_PATH && req.method === "GET") return { refusal: null, url, fromQuery: false, open: true };
  const presented = presentedToken(req.headers, url);
  if (!presented || !tokenMatches(presented.token, token)) {
    return { refusal: { status: 401, reason: presented ? "wrong token" : "missing token" }, url };
  }
  return { refusal: null, url, fromQuery: presented.source === "query", open: false };
}

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>Workstation</title>
<body style="font:16px system-ui;background:#131722;color:#d1d4dc;padding:2em">
<h1>Workstation core is running</h1><p>The UI has not been built. Run <code>npm run build</code> and reload.</p></body>`;

const SECURITY_HEADERS = (port: number): http.OutgoingHttpHeaders => ({
  "content-security-policy": contentSecurityPolicy(port),
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
});

function serveHttp(req: http.IncomingMessage, res: http.ServerResponse, opts: HttpServerOptions, port: number): void {
  const checked = checkRequest(req, port, opts.token);
  if (checked.refusal) {
    const { status, reason } = checked.refusal;
    opts.log.warn({ method: req.method, path: checked.url?.pathname ?? null, status, reason }, "request refused");
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: "close" }).end(`${status} ${reason}\n`);
    return;
  }
  const { url } = checked;
  if (req.method === "POST" && url.pathname === UPLOAD_PATH && opts.uploads && !checked.open) {
    receiveUpload(req, res, url, opts.uploads);
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  const security = SECURITY_HEADERS(port);
  if (checked.open) {
    res.writeHead(200, { ...security, "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify({ instanceId: opts.instanceId }));
    return;
  }
  if (checked.fromQuery) {
    url.searchParams.delete("token");
    const cookie = `${TOKEN_COOKIE}=${opts.token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(302, { ...security, "set-cookie": cookie, location: url.pathname + url.search, "cache-control": "no-store" }).end();
    return;
  }
  if (url.pathname === "/api/health") {
    res.writeHead(200, { ...security, "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(opts.health()));
    return;
  }
  serveStatic(req, res, opts, url, security);
}

function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, opts: HttpServerOptions, url: URL, security: http.OutgoingHttpHeaders): void {
  const found = resolveStatic(opts.staticDir, url.pathname);
  if (!found) {
    const isRoot = url.pathname === "/" || url.pathname === "/index.html";
    res.writeHead(isRoot ? 200 : 404, { ...security, "content-type": "text/html; charset=utf-8" }).end(isRoot ? NOT_BUILT_PAGE : "not found");
    return;
  }
  const cache = found.file.endsWith("index.html") ? "no-store" : "public, max-age=31536000, immutable";
  res.writeHead(200, { ...security, "content-type": found.type, "cache-control": cache });
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  // pipeline, not pipe: a read error (the file removed meanwhile) ends the response instead of throwing.
  pipeline(fs.createReadStream(found.file), res, (err) => {
    if (err) opts.log.warn({ path: url.pathname, err: err.message }, "static file not sent");
  });
}

/** Runs one request under a last-resort guard: a throw answers 500 (or drops the connection), never crashes core. */
function guardedRequest(req: http.IncomingMessage, res: http.ServerResponse, opts: HttpServerOptions, port: number): void {
  try {
    serveHttp(req, res, opts, port);
  } catch (err) {
    opts.log.error({ err, method: req.method }, "request failed");
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8", connection: "close" }).end("500 internal error\n");
    else res.destroy();
  }
}

function refuseUpgrade(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Refused"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function handleUpgrade(wss: WebSocketServer, req: http.IncomingMessage, socket: Duplex, head: Buffer, opts: HttpServerOptions, port: number): void {
  const checked = checkRequest(req, port, opts.token);
  if (!checked.refusal && checked.url.pathname === "/api") {
    wss.handleUpgrade(req, socket, head, (ws) => {
      try {
        opts.onSocket(ws);
      } catch (err) {
        opts.log.error({ err }, "api socket setup failed");
        ws.terminate();
      }
    });
    return;
  }
  const status = checked.refusal?.status ?? 404;
  const reason = checked.refusal?.reason ?? "no such endpoint";
  opts.log.warn({ path: checked.url?.pathname ?? null, status, reason, origin: req.headers.origin }, "websocket refused");
  refuseUpgrade(socket, status);
}

/** Runs one upgrade under a last-resort guard; the socket gets an error listener first (http removed its own). */
function guardedUpgrade(wss: WebSocketServer, req: http.IncomingMessage, socket: Duplex, head: Buffer, opts: HttpServerOptions, port: number): void {
  socket.on("error", (err) => opts.log.debug({ err: err.message }, "upgrade socket error"));
  try {
    handleUpgrade(wss, req, socket, head, opts, port);
  } catch (err) {
    opts.log.error({ err }, "upgrade failed");
    if (socket.writable) refuseUpgrade(socket, 500);
    else socket.destroy();
  }
}

/** Starts the server on 127.0.0.1. */
export async function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  server.on("request", (req, res) => guardedRequest(req, res, opts, port));
  server.on("upgrade", (req, socket, head) => guardedUpgrade(wss, req, socket, head, opts, port));
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    opts.log.debug({ code: err.code }, "malformed request");
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });
  wss.on("error", (err) => opts.log.warn({ err: err.message }, "websocket server error"));
  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${opts.token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
