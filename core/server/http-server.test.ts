import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startCore, type RunningCore } from "../app.ts";
import { connectApi } from "../cli/core-client.ts";
import { silentLogger } from "../log.ts";
import { findLiveLock, lockPath, writeLock } from "../platform/lock.ts";

let core: RunningCore;
let dataDir: string;
let base: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-http-"));
  const staticDir = path.join(dataDir, "ui");
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, "index.html"), "<!doctype html><title>ui</title>");
  core = await startCore({ dataDir, log: silentLogger(), port: 0, staticDir });
  base = `http://127.0.0.1:${core.port}`;
});

afterAll(async () => {
  await core.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function upgrade(headers: Record<string, string>, url = `ws://127.0.0.1:${core.port}/api`): Promise<number | "open"> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once("open", () => {
      ws.close();
      resolve("open");
    });
    ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.once("error", () => undefined);
  });
}

/** Sends raw bytes on a fresh TCP connection; resolves with everything the server answered before closing. */
function rawRequest(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(core.port, "127.0.0.1", () => socket.write(text));
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

describe("loopback server", () => {
  it("answers 400 to request targets that do not parse, on plain requests and upgrades, and keeps serving", async () => {
    const host = `Host: 127.0.0.1:${core.port}\r\n`;
    const upgradeHeaders = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    expect(await rawRequest(`GET http://[/ HTTP/1.1\r\n${host}Connection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rawRequest(`GET //[/api HTTP/1.1\r\n${host}${upgradeHeaders}\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rawRequest(`GET http://[/ HTTP/1.1\r\n${upgradeHeaders}\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rawRequest("NOT AN HTTP REQUEST\r\n\r\n")).toMatch(/^HTTP\/1\.1 400 /);
    const res = await fetch(`${base}/api/health`, { headers: { authorization: `Bearer ${core.token}` } });
    expect(res.status).toBe(200);
    expect(await upgrade({ authorization: `Bearer ${core.token}` })).toBe("open");
  });

  it("survives a client that resets the connection in the middle of a refused upgrade", async () => {
    for (let i = 0; i < 20; i++) {
      const socket = net.connect(core.port, "127.0.0.1");
      socket.on("error", () => undefined);
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      socket.write(`GET /nope HTTP/1.1\r\nHost: 127.0.0.1:${core.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`);
      socket.resetAndDestroy();
    }
    expect((await fetch(`${base}/api/health`, { headers: { authorization: `Bearer ${core.token}` } })).status).toBe(200);
  });

  it("answers its instance id without the token, and nothing else", async () => {
    const res = await fetch(`${base}/api/instance`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ instanceId: core.info.instanceId });
    expect((await fetch(`${base}/api/instance`, { headers: { origin: "https://evil.example" } })).status).toBe(403);
    expect((await fetch(`${base}/api/health`)).status).toBe(401);
  });

  it("prints a URL carrying a 256-bit token and writes an owner-only lock file", async () => {
    expect(core.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${core.port}/\\?token=[0-9a-f]{64}$`));
    const lock = await findLiveLock(dataDir);
    expect(lock).toMatchObject({ pid: process.pid, port: core.port, token: core.token });
    expect(fs.statSync(path.join(dataDir, "core.lock.json")).mode & 0o777).toBe(0o600);
  });

  it("refuses an HTTP request without the token with 401", async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(401);
  });

  it("refuses a wrong token and a foreign Host", async () => {
    expect((await fetch(`${base}/`, { headers: { authorization: "Bearer 00" } })).status).toBe(401);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.get({ host: "127.0.0.1", port: core.port, path: "/", headers: { host: `evil.example:${core.port}`, authorization: `Bearer ${core.token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
    });
    expect(status).toBe(421);
  });

  it("exchanges the URL token for an HttpOnly SameSite=Strict cookie and serves the UI with a CSP", async () => {
    const first = await fetch(core.url, { redirect: "manual" });
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe("/");
    const cookie = first.headers.get("set-cookie") ?? "";
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    const page = await fetch(`${base}/`, { headers: { cookie: cookie.split(";")[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(await page.text()).toContain("<title>ui</title>");
  });

  it("refuses WebSocket upgrades without token or from a foreign Origin", async () => {
    expect(await upgrade({})).toBe(401);
    expect(await upgrade({ authorization: `Bearer ${core.token}`, origin: "https://evil.example" })).toBe(403);
    expect(await upgrade({ authorization: `Bearer ${core.token}`, origin: base })).toBe("open");
  });

  it("serves typed calls and typed errors over the API", async () => {
    const client = await connectApi(core.port, core.token);
    const info = await client.call("core.info", {});
    expect(info).toMatchObject({ pid: process.pid, dataDir, instanceId: core.info.instanceId });
    await expect(client.call("core.ping", { echo: 5 as unknown as string })).rejects.toMatchObject({ code: "bad_request" });
    expect(await client.call("core.ping", { echo: "x" })).toMatchObject({ echo: "x" });
    client.close();
  });

  it("streams events to a subscriber", async () => {
    const client = await connectApi(core.port, core.token);
    const status = await new Promise<{ uptimeMs: number }>((resolve) => {
      const stop = client.subscribe("core.status", { intervalMs: 50 }, {
        onEvent: (e) => {
          stop();
          resolve(e);
        },
      });
    });
    expect(status.uptimeMs).toBeGreaterThanOrEqual(0);
    client.close();
  });

  it("refuses a second core on a data directory a live core serves", async () => {
    await expect(startCore({ dataDir, log: silentLogger(), port: 0 })).rejects.toThrow(/another core \(pid \d+\) already serves this data directory/);
    expect(await findLiveLock(dataDir)).toMatchObject({ instanceId: core.info.instanceId, port: core.port });
  });

  it("starts exactly one of two cores started together on a new data directory", async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "ws-lock-"));
    const results = await Promise.allSettled([0, 1].map(() => startCore({ dataDir: other, log: silentLogger(), port: 0 })));
    const started = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(started).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { message: expect.stringMatching(/another core \(pid \d+\)/) } });
    await started[0]!.stop();
    fs.rmSync(other, { recursive: true, force: true });
  });

  it("takes over a stale lock whose pid belongs to an unrelated live process", async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "ws-lock-"));
    const sleeper = spawn("sleep", ["60"], { stdio: "ignore" });
    const dead = net.createServer();
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", () => resolve()));
    const deadPort = (dead.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    writeLock(other, { pid: sleeper.pid!, port: deadPort, token: "t", url: "u", instanceId: "gone", startedAt: 0 });
    try {
      const second = await startCore({ dataDir: other, log: silentLogger(), port: 0 });
      expect(JSON.parse(fs.readFileSync(lockPath(other), "utf8"))).toMatchObject({ pid: process.pid, instanceId: second.info.instanceId, port: second.port });
      await second.stop();
    } finally {
      sleeper.kill("SIGKILL");
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
