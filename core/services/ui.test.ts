import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../../common/api/errors.ts";
import { uiSettingsPatch } from "../../common/api/ui.ts";
import type { CallContext, StreamSink } from "../api/handlers.ts";
import { SecretStore, type KeychainBackend } from "../secrets/keychain.ts";
import { openAppDb, type AppDb } from "../store/app-db.ts";
import { UiState } from "./ui-state.ts";
import { StrategyLibrary } from "./ui-strategies.ts";
import { uiHandlers } from "./ui.ts";

const opened: AppDb[] = [];
const ctx = { signal: new AbortController().signal, progress: () => undefined, clientId: "t" } as CallContext;

function memoryKeychain(): KeychainBackend {
  const data = new Map<string, string>();
  return { set: async (a, v) => void data.set(a, v), get: async (a) => data.get(a) ?? null, delete: async (a) => data.delete(a), accounts: async () => [...data.keys()] };
}

function noKeychain(): KeychainBackend {
  const fail = async (): Promise<never> => {
    throw new Error("zbus error: Failed to connect to address");
  };
  return { set: fail, get: fail, delete: fail, accounts: fail };
}

function setup(dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-ui-")), backend = memoryKeychain()) {
  const app = openAppDb(dataDir);
  opened.push(app);
  return { dataDir, app, h: uiHandlers({ dataDir, state: new UiState(() => app), secrets: new SecretStore(backend), strategies: new StrategyLibrary(() => app.db) }) };
}

function collect<E>(): StreamSink<E> & { events: E[] } {
  const events: E[] = [];
  return { events, emit: (e) => void events.push(e), end: () => undefined, signal: new AbortController().signal, congested: () => false };
}

afterEach(() => {
  while (opened.length) opened.pop()!.close();
});

describe("ui settings", () => {
  it("starts from defaults (UTC, dark, the simulated venue on) and shows the data directory", async () => {
    const { h, dataDir } = setup();
    const s = await h["ui.settings.get"]({}, ctx);
    expect(s).toMatchObject({ theme: "dark", timeZone: "UTC", dataDir, backtest: { cash: 100_000, commission: 0.001, slippageBps: 0 }, alertSound: true });
    expect(s.venues.find((v) => v.id === "simulated")?.enabled).toBe(true);
  });

  it("merges partial updates, persists them, and tells watchers", async () => {
    const { h, dataDir, app } = setup();
    const sink = collect<Awaited<ReturnType<(typeof h)["ui.settings.get"]>>>();
    h["ui.settings.watch"]({}, sink);
    await h["ui.settings.set"](uiSettingsPatch.parse({ timeZone: "Europe/Berlin", backtest: { cash: 5000 }, alertSound: false }), ctx);
    expect(sink.events.map((e) => e.timeZone)).toEqual(["UTC", "Europe/Berlin"]);
    app.close();
    opened.pop();
    const again = setup(dataDir).h;
    const s = await again["ui.settings.get"]({}, ctx);
    expect(s.timeZone).toBe("Europe/Berlin");
    expect(s.alertSound).toBe(false);
    expect(s.backtest).toEqual({ cash: 5000, commission: 0.001, slippageBps: 0 });
  });

  it("refuses an unknown time zone with bad_request", async () => {
    const { h } = setup();
    const err = await Promise.resolve()
      .then(() => h["ui.settings.set"]({ timeZone: "Mars/Olympus" }, ctx))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe("bad_request");
  });
});

describe("ui watchlist", () => {
  it("adds, reorders and removes symbols, drops duplicates, and survives a reopen", async () => {
    const { h, dataDir, app } = setup();
    expect(await h["ui.watchlist.get"]({}, ctx)).toEqual([]);
    const a = { venue: "simulated", symbol: "BTC/USD" }, b = { venue: "kraken", symbol: "ETH/USD" };
    await h["ui.watchlist.set"]({ items: [a, b, a] }, ctx);
    expect(await h["ui.watchlist.set"]({ items: [b, a] }, ctx)).toEqual([b, a]);
    app.close();
    opened.pop();
    const again = setup(dataDir).h;
    expect(await again["ui.watchlist.get"]({}, ctx)).toEqual([b, a]);
    expect(await again["ui.watchlist.set"]({ items: [a] }, ctx)).toEqual([a]);
  });
});

describe("ui secrets", () => {
  it("saves a key and lists only its hint, never the key or secret", async () => {
    const { h } = setup();
    await h["ui.secrets.set"]({ venue: "kraken", apiKey: "PUBLICKEY-5678", apiSecret: "very-secret" }, ctx);
    const list = await h["ui.secrets.list"]({}, ctx);
    expect(list.available).toBe(true);
    expect(list.keys).toEqual([expect.objectContaining({ venue: "kraken", keyHint: "…5678" })]);
    expect(JSON.stringify(list)).not.toMatch(/very-secret|PUBLICKEY/);
    expect(await h["ui.secrets.delete"]({ venue: "kraken" }, ctx)).toEqual({ deleted: true });
  });

  it("says clearly that no keychain is available, and refuses to save with `unavailable`", async () => {
    const { h } = setup(undefined, noKeychain());
    const list = await h["ui.secrets.list"]({}, ctx);
    expect(list).toMatchObject({ available: false, keys: [] });
    expect(list.reason).toMatch(/No OS keychain is available/);
    const err = await Promise.resolve(h["ui.secrets.set"]({ venue: "kraken", apiKey: "k", apiSecret: "s" }, ctx)).catch((e: unknown) => e);
    expect((err as ApiError).code).toBe("unavailable");
  });
});

describe("ui strategy library", () => {
  it("saves a new version only when the source changes, and reads any version back", async () => {
    const { h } = setup();
    const first = await h["ui.strategies.save"]({ name: "SMA", source: "v1" }, ctx);
    expect(first).toMatchObject({ name: "SMA", latestVersion: 1, source: "v1" });
    expect((await h["ui.strategies.save"]({ id: first.id, name: "SMA", source: "v1" }, ctx)).latestVersion).toBe(1);
    const second = await h["ui.strategies.save"]({ id: first.id, name: "SMA", source: "v2", note: "faster" }, ctx);
    expect(second.latestVersion).toBe(2);
    expect(second.versions.map((v) => v.version)).toEqual([2, 1]);
    expect((await h["ui.strategies.version"]({ id: first.id, version: 1 }, ctx)).source).toBe("v1");
  });

  it("renames, duplicates and deletes; refuses a taken name and unknown ids", async () => {
    const { h } = setup();
    const a = await h["ui.strategies.save"]({ name: "A", source: "a" }, ctx);
    await h["ui.strategies.save"]({ name: "B", source: "b" }, ctx);
    const err = await Promise.resolve().then(() => h["ui.strategies.rename"]({ id: a.id, name: "B" }, ctx)).catch((e: unknown) => e);
    expect((err as ApiError).code).toBe("conflict");
    expect((await h["ui.strategies.rename"]({ id: a.id, name: "A2" }, ctx)).name).toBe("A2");
    const copy = await h["ui.strategies.duplicate"]({ id: a.id, name: "A3" }, ctx);
    expect(copy).toMatchObject({ name: "A3", source: "a", latestVersion: 1 });
    expect(await h["ui.strategies.delete"]({ id: a.id }, ctx)).toEqual({ deleted: true });
    expect((await h["ui.strategies.list"]({}, ctx)).map((s) => s.name).sort()).toEqual(["A3", "B"]);
    const missing = await Promise.resolve().then(() => h["ui.strategies.get"]({ id: a.id }, ctx)).catch((e: unknown) => e);
    expect((missing as ApiError).code).toBe("not_found");
  });
});
