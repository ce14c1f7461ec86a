import { describe, expect, it } from "vitest";
import type { SettingsAccess } from "./config.ts";
import type { AiKeyStore } from "./keys.ts";
import { AssistantRuntime, type RuntimeDeps } from "./runtime.ts";

describe("saving a provider without an OS keychain", () => {
  it("keeps the settings and says the key was not saved, without the keychain's raw error", async () => {
    const stored = new Map<string, unknown>();
    const settings: SettingsAccess = { get: <T>(k: string) => stored.get(k) as T | undefined, set: (k, v) => void stored.set(k, v) };
    const keys: AiKeyStore = {
      get: async () => null,
      set: async () => {
        throw new Error("Platform secure storage failure: DBus error: org.freedesktop.DBus.Error.ServiceUnknown");
      },
      delete: async () => false,
      probe: async () => "no keychain",
    };
    const runtime = new AssistantRuntime({ settings: () => settings, conversations: () => null, keys, backend: {} as RuntimeDeps["backend"], env: {} });
    const err = (await runtime.configure({ provider: "anthropic", model: "m", apiKey: "sk-1" }).then(
      () => new Error("saved"),
      (e: unknown) => e,
    )) as Error;
    expect(err.message).toMatch(/^Saved the anthropic provider settings; the API key was NOT saved: no OS keychain/);
    expect(err.message).not.toMatch(/DBus/);
    expect(stored.size).toBe(1);
  });
});
