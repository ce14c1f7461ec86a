/**
 * The loopback HTTP + WebSocket server of core. Every request passes the Host check, the Origin
 * check (browsers) and the token check; refusals are logged. A page load with `?token=` sets an
 * HttpOnly, SameSite=Strict cookie and redirects to the clean URL. The API is the WebSocket at `/api`.
 */
import fs from "node:fs";
import http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { Logger } from "../log.ts";
import { resolveStatic } from "./static-files.ts";
import {
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
}

/** A started server. */
export interface RunningHttpServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

type Refusal = { status: number; reason: string } | null;

function checkRequest(req: http.IncomingMessage, port: number, token: string): { refusal: Refusal; url: URL; fromQuery: boolean } {
  const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
  if (!isAllowedHost(req.headers.host, port)) return { refusal: { status: 421, reason: "bad host" }, url, fromQuery: false };
  const origin = typeof req.headers.origin === "string" ? req.headers.origin : undefined;
  if (!isAllowedOrigin(origin, port)) return { refusal: { status: 403, reason: "foreign origin" }, url, fromQuery: false };
  const presented = presentedToken(req.headers, url);
  if (!presented || !tokenMatches(presented.token, token)) {
    return { refusal: { status: 401, reason: presented ? "wrong token" : "missing token" }, url, fromQuery: false };
  }
  return { refusal: null, url, fromQuery: presented.source === "query" };
}

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>Workstation</title>
<body style="font:16px system-ui;background:#131722;color:#d1d4dc;padding:2em">
<h1>Workstation core is running</h1><p>The UI has not been built. Run <code>npm run build</code> and reload.</p></body>`;

function serveHttp(req: http.IncomingMessage, res: http.ServerResponse, opts: HttpServerOptions, port: number): void {
  const { refusal, url, fromQuery } = checkRequest(req, port, opts.token);
  if (refusal) {
    opts.log.warn({ method: req.method, path: url.pathname, status: refusal.status, reason: refusal.reason }, "request refused");
    res.writeHead(refusal.status, { "content-type": "text/plain; charset=utf-8" }).end(`${refusal.status} ${refusal.reason}\n`);
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  const security = {
    "content-security-policy": contentSecurityPolicy(port),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
  };
  if (fromQuery) {
    url.searchParams.delete("token");
    const cookie = `${TOKEN_COOKIE}=${opts.token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(302, { ...security, "set-cookie": cookie, location: url.pathname + url.search, "cache-control": "no-store" }).end();
    return;
  }
  if (url.pathname === "/api/health") {
    res.writeHead(200, { ...security, "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(opts.health()));
    return;
  }
  const found = resolveStatic(opts.staticDir, url.pathname);
  if (!found) {
    const isRoot = url.pathname === "/" || url.pathname === "/index.html";
    res.writeHead(isRoot ? 200 : 404, { ...security, "content-type": "text/html; charset=utf-8" }).end(isRoot ? NOT_BUILT_PAGE : "not found");
    return;
  }
  const cache = found.file.endsWith("index.html") ? "no-store" : "public, max-age=31536000, immutable";
  res.writeHead(200, { ...security, "content-type": found.type, "cache-control": cache });
  if (req.method === "HEAD") res.end();
  else fs.createReadStream(found.file).pipe(res);
}

function handleUpgrade(wss: WebSocketServer, req: http.IncomingMessage, socket: Duplex, head: Buffer, opts: HttpServerOptions, port: number): void {
  const { refusal, url } = checkRequest(req, port, opts.token);
  if (!refusal && url.pathname === "/api") {
    wss.handleUpgrade(req, socket, head, (ws) => opts.onSocket(ws));
    return;
  }
  const status = refusal?.status ?? 404;
  const reason = refusal?.reason ?? "no such endpoint";
  opts.log.warn({ path: url.pathname, status, reason, origin: req.headers.origin }, "websocket refused");
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Refused"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
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
  server.on("request", (req, res) => serveHttp(req, res, opts, port));
  server.on("upgrade", (req, socket, head) => handleUpgrade(wss, req, socket, head, opts, port));
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
