import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { KeychainUnavailableError, SecretStore, type KeychainBackend } from "./keychain.ts";

function memoryBackend(): KeychainBackend & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    set: async (a, v) => void data.set(a, v),
    get: async (a) => data.get(a) ?? null,
    delete: async (a) => data.delete(a),
    accounts: async () => [...data.keys()],
  };
}

function brokenBackend(message: string): KeychainBackend {
  const fail = async (): Promise<never> => {
    throw new Error(message);
  };
  return { set: fail, get: fail, delete: fail, accounts: fail };
}

describe("SecretStore", () => {
  it("saves credentials and lists venues with a key hint, never the key or secret", async () => {
    const backend = memoryBackend();
    const store = new SecretStore(backend);
    const info = await store.save("kraken", { apiKey: "AAAABBBBCCCC9876", apiSecret: "s3cr3t" });
    expect(info).toMatchObject({ venue: "kraken", keyHint: "…9876" });
    const listed = await store.list();
    expect(listed).toEqual([{ venue: "kraken", keyHint: "…9876", savedAt: info.savedAt }]);
    expect(JSON.stringify(listed)).not.toContain("s3cr3t");
    expect(JSON.stringify(listed)).not.toContain("AAAABBBB");
    expect(await store.credentials("kraken")).toEqual({ apiKey: "AAAABBBBCCCC9876", apiSecret: "s3cr3t" });
  });

  it("replaces a saved key, deletes it, and reports a missing one", async () => {
    const store = new SecretStore(memoryBackend());
    await store.save("coinbase", { apiKey: "k1-00000000", apiSecret: "a", passphrase: "p" });
    await store.save("coinbase", { apiKey: "k2-11111111", apiSecret: "b" });
    expect(await store.credentials("coinbase")).toEqual({ apiKey: "k2-11111111", apiSecret: "b" });
    expect(await store.delete("coinbase")).toBe(true);
    expect(await store.delete("coinbase")).toBe(false);
    expect(await store.credentials("coinbase")).toBeNull();
    expect(await store.list()).toEqual([]);
  });

  it("refuses venue ids that are not simple names", async () => {
    const store = new SecretStore(memoryBackend());
    await expect(store.save("../etc", { apiKey: "k", apiSecret: "s" })).rejects.toThrow(RangeError);
    await expect(store.delete("")).rejects.toThrow(/venue id/);
  });

  it("ignores entries it cannot read instead of failing the list", async () => {
    const backend = memoryBackend();
    backend.data.set("binance", "not json");
    backend.data.set("Bad Name", JSON.stringify({ apiKey: "x", apiSecret: "y" }));
    expect(await new SecretStore(backend).list()).toEqual([]);
  });

  it("turns a keychain failure into a clear KeychainUnavailableError", async () => {
    const store = new SecretStore(brokenBackend("DBus error: org.freedesktop.DBus.Error.ServiceUnknown"));
    const err = await store.save("kraken", { apiKey: "k", apiSecret: "s" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeychainUnavailableError);
    expect(String((err as Error).message)).toMatch(/keychain/i);
    expect(await store.probe()).toMatch(/keychain/i);
  });
});

const FIXTURE = path.join(import.meta.dirname, "fixtures", "os-roundtrip.ts");

function hasCommand(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function isolatedEnv(): NodeJS.ProcessEnv {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "ws-keyring-"));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, "data"), XDG_RUNTIME_DIR: home };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  return env;
}

const UNLOCK = "printf workstation-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && ";

/** Runs the fixture in a shell, inside `dbus-run-session` with an unlocked throw-away keyring when asked. */
function runFixture(underDbus: boolean, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const node = [process.execPath, "--no-node-snapshot", FIXTURE].map((a) => `'${a}'`).join(" ");
  const argv = underDbus ? ["dbus-run-session", "--", "sh", "-c", `${UNLOCK}exec ${node}`] : ["sh", "-c", `exec ${node}`];
  const res = spawnSync(argv[0]!, argv.slice(1), { env, encoding: "utf8", timeout: 30_000 });
  const line = res.stdout.trim().split("\n").pop() ?? "";
  if (!line.startsWith("{")) throw new Error(`fixture printed nothing useful (exit ${res.status}): ${res.stderr}`);
  return JSON.parse(line) as Record<string, unknown>;
}

describe("the OS keychain", () => {
  it("explains clearly when no keychain is reachable (no session bus)", () => {
    const out = runFixture(false, isolatedEnv());
    if (process.platform === "linux") expect(String(out.unavailable)).toMatch(/No OS keychain is available/);
  });

  const dbus = hasCommand("dbus-run-session");
  it.skipIf(!dbus)(
    dbus ? "saves, lists, reads back and deletes a key in GNOME Keyring under dbus-run-session" : "skipped: dbus-run-session is not installed (apt-get install dbus gnome-keyring)",
    () => {
      const out = runFixture(true, isolatedEnv());
      expect(out.unavailable).toBeUndefined();
      expect(out.saved).toMatchObject({ venue: "kraken", keyHint: "…1234" });
      expect(out.listed).toEqual([out.saved]);
      expect(out.creds).toEqual({ apiKey: "KEY-abcdefgh1234", apiSecret: "SECRET-xyz" });
      expect(out.deleted).toBe(true);
      expect(out.after).toEqual([]);
    },
  );
});
