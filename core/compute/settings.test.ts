/**
 * Compute settings: local by default; a queue URL with credentials goes to the keychain and comes
 * back only redacted (never in the settings file); without a keychain such a URL is refused; bad
 * URLs and addresses are clear `bad_request`s.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KeychainBackend } from "../secrets/keychain.ts";
import { ComputeSettingsStore, QUEUE_URL_ACCOUNT } from "./settings.ts";

let dir = "";
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-compute-settings-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function memoryKeychain(): KeychainBackend & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    set: async (a, v) => void entries.set(a, v),
    get: async (a) => entries.get(a) ?? null,
    delete: async (a) => entries.delete(a),
    accounts: async () => [...entries.keys()],
  };
}

const settingsFile = () => fs.readFileSync(path.join(dir, "compute", "settings.json"), "utf8");

describe("ComputeSettingsStore", () => {
  it("is local by default and has no queue to coordinate through", async () => {
    const store = new ComputeSettingsStore(dir, memoryKeychain());
    expect(store.view()).toEqual({ mode: "local", url: null, credentials: false, serveData: null, advertise: null, chunksDir: null });
    expect(await store.target()).toBeNull();
  });

  it("keeps a URL with a password in the keychain and shows it redacted", async () => {
    const keychain = memoryKeychain();
    const store = new ComputeSettingsStore(dir, keychain);
    const url = "rediss://ws:p%40ss-word@10.0.0.5:6380/2";
    const view = await store.update({ mode: "queue", url, serveData: "10.0.0.2:7070", advertise: "http://10.0.0.2:7070", chunksDir: "/mnt/chunks" });
    expect(view).toEqual({ mode: "queue", url: "rediss://ws:***@10.0.0.5:6380/2", credentials: true, serveData: "10.0.0.2:7070", advertise: "http://10.0.0.2:7070", chunksDir: "/mnt/chunks" });
    expect(keychain.entries.get(QUEUE_URL_ACCOUNT)).toBe(url);
    expect(settingsFile()).not.toContain("p%40ss");
    expect(await store.target()).toEqual({ url, serve: { host: "10.0.0.2", port: 7070, advertise: "http://10.0.0.2:7070" }, chunksDir: "/mnt/chunks" });
    // Switching back to local keeps the saved URL; a URL without credentials leaves the keychain.
    expect((await store.update({ mode: "local" })).url).toBe("rediss://ws:***@10.0.0.5:6380/2");
    await store.update({ mode: "queue", url: "redis://127.0.0.1:6390" });
    expect(keychain.entries.size).toBe(0);
    expect(store.view()).toMatchObject({ url: "redis://127.0.0.1:6390", credentials: false });
  });

  it("refuses a URL with a password when no keychain answers, and bad input, naming it", async () => {
    const broken: KeychainBackend = { ...memoryKeychain(), set: () => Promise.reject(new Error("org.freedesktop.DBus.Error.ServiceUnknown")) };
    const store = new ComputeSettingsStore(dir, broken);
    await expect(store.update({ mode: "queue", url: "redis://:secret@127.0.0.1:6379" })).rejects.toMatchObject({ code: "unavailable", message: expect.stringMatching(/keychain/) });
    expect(fs.existsSync(path.join(dir, "compute", "settings.json"))).toBe(false);
    await expect(store.update({ mode: "queue", url: "http://127.0.0.1:6379" })).rejects.toMatchObject({ code: "bad_request", message: expect.stringMatching(/redis:\/\/ or rediss:\/\//) });
    await expect(store.update({ mode: "queue", url: "redis://127.0.0.1", serveData: "nope" })).rejects.toMatchObject({ code: "bad_request", message: expect.stringMatching(/HOST:PORT/) });
    await expect(store.update({ mode: "queue" })).rejects.toMatchObject({ code: "bad_request", message: "a queue URL is needed to run on a queue" });
  });
});
