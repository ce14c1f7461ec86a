import { describe, expect, it } from "vitest";
import { configProblem, destinationId, isCloud, resolveConfig, settingsView } from "./config.ts";

describe("provider configuration", () => {
  it("lets the environment override stored settings and the stored key", () => {
    const stored = { provider: "anthropic" as const, baseUrl: "http://127.0.0.1:1/v1", model: "stored", timeoutMs: 5000 };
    const env = {
      WORKSTATION_AI_PROVIDER: "openai-compatible",
      WORKSTATION_AI_BASE_URL: "http://127.0.0.1:11434/v1/",
      WORKSTATION_AI_MODEL: "llama3.1",
      WORKSTATION_AI_API_KEY: "env-key",
      WORKSTATION_AI_TIMEOUT_MS: "2500",
    };
    const c = resolveConfig(stored, "stored-key", env);
    expect(c).toMatchObject({ provider: "openai-compatible", baseUrl: "http://127.0.0.1:11434/v1", model: "llama3.1", apiKey: "env-key", timeoutMs: 2500 });
    expect(c.envOverrides).toHaveLength(5);
    expect(resolveConfig(stored, "stored-key", {})).toMatchObject({ provider: "anthropic", model: "stored", apiKey: "stored-key", timeoutMs: 5000, maxToolRounds: 12 });
  });

  it("refuses bad environment values with the variable's name", () => {
    expect(() => resolveConfig({}, null, { WORKSTATION_AI_PROVIDER: "openai" })).toThrow(/WORKSTATION_AI_PROVIDER must be one of/);
    expect(() => resolveConfig({}, null, { WORKSTATION_AI_TIMEOUT_MS: "soon" })).toThrow(/WORKSTATION_AI_TIMEOUT_MS/);
  });

  it("needs no key for a local server but one for the native cloud APIs", () => {
    expect(configProblem(resolveConfig({ baseUrl: "http://localhost:1234/v1", model: "m" }, null, {}))).toBeNull();
    expect(configProblem(resolveConfig({ provider: "google", model: "gemini" }, null, {}))).toMatch(/needs an API key/);
    expect(configProblem(resolveConfig({ provider: "google", model: "gemini" }, "k", {}))).toBeNull();
    expect(configProblem(resolveConfig({ baseUrl: "ftp://x", model: "m" }, null, {}))).toMatch(/http:\/\//);
  });

  it("tells local from cloud and asks once per destination", () => {
    const local = resolveConfig({ baseUrl: "http://127.0.0.1:8080/v1", model: "m" }, null, {});
    const cloud = resolveConfig({ provider: "anthropic", model: "m" }, "k", {});
    expect(isCloud(local)).toBe(false);
    expect(isCloud(cloud)).toBe(true);
    expect(settingsView(local, [], true)).toMatchObject({ cloud: false, consentNeeded: false, disclosure: null });
    expect(settingsView(cloud, [], true)).toMatchObject({ cloud: true, consentNeeded: true, hasApiKey: true });
    expect(settingsView(cloud, [destinationId(cloud)], false)).toMatchObject({ consentNeeded: false, keychain: "unavailable" });
  });
});
