/** Alert fires of a real core (started as the app starts it) reach main's notification callback. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { afterAll, describe, expect, it } from "vitest";
import { ApiClient, type SocketLike } from "../common/api/client.ts";
import { CoreSupervisor } from "./core-supervisor.ts";
import type { DesktopAlert } from "./notifications.ts";
import { alertNotification, watchAlerts } from "./alert-notifications.ts";

describe("alert notifications in main", () => {
  it("say which rule fired, with the message and how late", () => {
    const entry = { key: "r:0", rule: "r", time: 1, barTime: 0, value: "1", message: "BTC/USD above 1", lateMs: 61_000, deliveries: [] };
    expect(alertNotification(entry)).toEqual({ title: "Alert: r", body: "BTC/USD above 1 (late 61 s)" });
    expect(alertNotification({ ...entry, lateMs: null }).body).toBe("BTC/USD above 1");
  });
});

describe("watchAlerts", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "main-alerts-"));
  const supervisor = new CoreSupervisor({ node: process.execPath, entry: path.join(import.meta.dirname, "..", "core", "cli", "main.ts") }, dataDir);
  afterAll(async () => {
    await supervisor.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("shows each new fire of the running core", async () => {
    const url = await supervisor.start();
    const shown: DesktopAlert[] = [];
    const stop = watchAlerts(url, supervisor.coreToken, (a) => shown.push(a));
    const client = new ApiClient({
      connect: () => new WebSocket(`ws://127.0.0.1:${new URL(url).port}/api`, { headers: { authorization: `Bearer ${supervisor.coreToken}` } }) as unknown as SocketLike,
      reconnect: false,
    });
    await client.call("alerts.add", { rule: { id: "sim", venue: "simulated", symbol: "BTC/USD", timeframe: "1s", frequency: "once", condition: { type: "price", op: "above", value: "1" }, deliver: { desktop: true } } });
    await expect.poll(() => shown.length, { timeout: 15_000 }).toBe(1);
    expect(shown[0]!.title).toBe("Alert: sim");
    client.close();
    stop();
  }, 30_000);
});
