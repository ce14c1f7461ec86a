import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, startServe, stopServe, tempDataDir, type ServeProcess } from "./harness.ts";

let browser: Browser;
let serve: ServeProcess;
let page: Page;
const dataDir = tempDataDir();

beforeAll(async () => {
  serve = await startServe(dataDir);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  if (serve) await stopServe(serve);
});

describe("workstation frame in browser mode", () => {
  it("opens from the printed URL and shows the frame with core connected", async () => {
    await page.goto(serve.url);
    expect(new URL(page.url()).search).toBe("");
    await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
    for (const panel of ["watchlist", "chart", "book", "editor", "results", "chat"]) {
      await page.getByTestId(`panel-${panel}`).waitFor();
    }
    expect(await page.locator("html").getAttribute("data-theme")).toBe("dark");
    await screenshot(page, "frame-dark");
  });

  it("switches to the light theme and remembers it across a reload", async () => {
    await page.getByTestId("theme-toggle").click();
    expect(await page.locator("html").getAttribute("data-theme")).toBe("light");
    await screenshot(page, "frame-light");
    await page.reload();
    await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
    expect(await page.locator("html").getAttribute("data-theme")).toBe("light");
    await page.getByTestId("theme-toggle").click();
  });

  it("shows the reconnect banner when core dies and recovers when the same core comes back", async () => {
    const { port, token } = serve;
    serve.child.kill("SIGKILL");
    await serve.exited;
    await page.getByTestId("reconnect-banner").waitFor();
    await screenshot(page, "reconnect-banner");
    serve = await startServe(dataDir, { port, env: { WORKSTATION_TOKEN: token } });
    await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
    expect(await page.getByTestId("reconnect-banner").count()).toBe(0);
  });

  it("says to open the new URL when a different core replaced it", async () => {
    const { port } = serve;
    serve.child.kill("SIGKILL");
    await serve.exited;
    serve = await startServe(dataDir, { port });
    await page.getByTestId("replaced-banner").waitFor();
    expect(await page.getByTestId("replaced-banner").isVisible()).toBe(true);
    expect(await page.getByTestId("reconnect-banner").count()).toBe(0);
    await screenshot(page, "replaced-banner");
  });

  it("refuses a token-less HTTP request and a foreign-Origin WebSocket", async () => {
    const base = `http://127.0.0.1:${serve.port}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    const status = await new Promise<number | "open">((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${serve.port}/api?token=${serve.token}`, { headers: { origin: "https://evil.example" } });
      ws.once("open", () => resolve("open"));
      ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.once("error", () => undefined);
    });
    expect(status).toBe(403);
  });

  it("exits 0 on SIGTERM and removes its lock file", async () => {
    expect(await stopServe(serve)).toBe(0);
    const fs = await import("node:fs");
    expect(fs.existsSync(`${dataDir}/core.lock.json`)).toBe(false);
  });
});
