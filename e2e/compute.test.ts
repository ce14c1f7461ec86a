/**
 * Settings → Compute end to end: a real `redis-server` on a free loopback port with one
 * `workstation worker`; the trader types the queue URL, presses Test and sees the connection and
 * the worker (host, versions, concurrency), saves the queue as where runs go, and an unreachable
 * URL is reported within seconds.
 */
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freePort, startRedis, startWorkerProcess } from "../core/compute/testing.ts";
import { launchBrowser, screenshot, startServe, stopServe, tempDataDir, type ServeProcess } from "./harness.ts";

let browser: Browser;
let page: Page;
let serve: ServeProcess;
let redis: ChildProcess | undefined;
let worker: ChildProcess | undefined;
let url = "";

beforeAll(async () => {
  const dir = tempDataDir("ws-compute-e2e-");
  const server = await startRedis(dir);
  redis = server.proc;
  url = server.url;
  worker = (await startWorkerProcess(url, path.join(dir, "worker"))).child;
  serve = await startServe(path.join(dir, "core"));
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (serve) await stopServe(serve);
  worker?.kill("SIGKILL");
  redis?.kill("SIGKILL");
});

describe("Settings → Compute", () => {
  it("tests a queue URL, lists its live worker, saves the queue, and reports an unreachable Redis", async () => {
    await page.goto(serve.url);
    await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
    await page.getByTestId("settings-button").click();
    const compute = page.getByTestId("compute-settings");
    await compute.scrollIntoViewIfNeeded();
    expect(await compute.getByTestId("compute-mode-local").isChecked()).toBe(true);

    await compute.getByTestId("compute-url").fill(url);
    await compute.getByTestId("compute-test").click();
    await compute.getByTestId("compute-test-result").filter({ hasText: "1 live worker" }).waitFor();
    const rows = compute.getByTestId("compute-worker-row");
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(os.hostname());
    await rows.first().scrollIntoViewIfNeeded();
    await screenshot(page, "compute-1-tested");

    await compute.getByTestId("compute-mode-queue").check();
    await compute.getByTestId("compute-save").click();
    await compute.getByTestId("compute-saved").waitFor();
    expect(await compute.getByTestId("compute-url").getAttribute("placeholder")).toBe(url);

    const startedAt = Date.now();
    await compute.getByTestId("compute-url").fill(`redis://127.0.0.1:${await freePort()}`);
    await compute.getByTestId("compute-test").click();
    await compute.getByTestId("compute-test-result").filter({ hasText: "Not usable" }).waitFor();
    expect(await compute.getByTestId("compute-test-result").textContent()).toMatch(/ECONNREFUSED/);
    expect(Date.now() - startedAt).toBeLessThan(8000);
  });
});
