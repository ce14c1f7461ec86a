/**
 * Provider configuration: stored settings (SQLite), the API key (OS keychain), and the
 * `WORKSTATION_AI_*` environment variables, which override both. Also decides whether requests
 * leave the machine and what the first use of a cloud provider must say.
 */
import { ASSISTANT_PROVIDERS, type AssistantProviderKind, type AssistantSettingsView } from "../../common/api/assistant.ts";

/** Settings key of the stored provider settings. */
export const SETTINGS_KEY = "assistant.provider";
/** Settings key of the list of acknowledged cloud disclosures. */
export const CONSENT_KEY = "assistant.cloudConsent";

/** Defaults of the caps and the timeout. */
export const DEFAULTS = { timeoutMs: 120_000, maxToolRounds: 12, maxTokens: 400_000 } as const;

/** What is stored in settings (no key: keys live in the keychain). */
export interface StoredProviderSettings {
  provider?: AssistantProviderKind;
  baseUrl?: string | null;
  model?: string | null;
  timeoutMs?: number;
  maxToolRounds?: number;
  maxTokens?: number;
}

/** The effective configuration of one conversation. */
export interface AssistantConfig {
  provider: AssistantProviderKind;
  baseUrl: string | null;
  model: string | null;
  apiKey: string | null;
  /** Longest wait for the provider's response, and between streamed chunks. */
  timeoutMs: number;
  maxToolRounds: number;
  /** Tokens (input + output) a conversation may use in total. */
  maxTokens: number;
  envOverrides: string[];
}

/** Reads and writes the settings the configuration comes from. */
export interface SettingsAccess {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

const ENV = {
  provider: "WORKSTATION_AI_PROVIDER",
  baseUrl: "WORKSTATION_AI_BASE_URL",
  model: "WORKSTATION_AI_MODEL",
  apiKey: "WORKSTATION_AI_API_KEY",
  timeoutMs: "WORKSTATION_AI_TIMEOUT_MS",
} as const;

function envProvider(value: string): AssistantProviderKind {
  if ((ASSISTANT_PROVIDERS as readonly string[]).includes(value)) return value as AssistantProviderKind;
  throw new Error(`${ENV.provider} must be one of ${ASSISTANT_PROVIDERS.join(", ")} (got "${value}")`);
}

function envTimeout(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 3_600_000) throw new Error(`${ENV.timeoutMs} must be a whole number of milliseconds between 1 and 3600000`);
  return n;
}

/** Merges stored settings, the stored key and the environment (the environment wins). */
export function resolveConfig(stored: StoredProviderSettings, storedKey: string | null, env: NodeJS.ProcessEnv): AssistantConfig {
  const overrides: string[] = [];
  const pick = (name: keyof typeof ENV): string | undefined => {
    const value = env[ENV[name]];
    if (value === undefined || value === "") return undefined;
    overrides.push(ENV[name]);
    return value;
  };
  const provider = pick("provider");
  const baseUrl = pick("baseUrl");
  const model = pick("model");
  const apiKey = pick("apiKey");
  const timeout = pick("timeoutMs");
  return {
    provider: provider !== undefined ? envProvider(provider) : (stored.provider ?? "openai-compatible"),
    baseUrl: trimSlash(baseUrl ?? stored.baseUrl ?? null),
    model: model ?? stored.model ?? null,
    apiKey: apiKey ?? storedKey,
    timeoutMs: timeout !== undefined ? envTimeout(timeout) : (stored.timeoutMs ?? DEFAULTS.timeoutMs),
    maxToolRounds: stored.maxToolRounds ?? DEFAULTS.maxToolRounds,
    maxTokens: stored.maxTokens ?? DEFAULTS.maxTokens,
    envOverrides: overrides,
  };
}

function trimSlash(url: string | null): string | null {
  return url === null ? null : url.replace(/\/+$/, "");
}

/** True when the base URL points at this machine (a local model server). */
export function isLoopbackUrl(url: string | null): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "[::1]" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** True when requests leave this machine. */
export function isCloud(config: AssistantConfig): boolean {
  return !isLoopbackUrl(config.baseUrl);
}

/** Why the configuration cannot be used yet, and how to fix it; null when it can. */
export function configProblem(config: AssistantConfig): string | null {
  if (config.provider === "openai-compatible" && !config.baseUrl) {
    return (
      "No AI provider is configured. Choose a provider and model in the Assistant panel, or set " +
      "WORKSTATION_AI_BASE_URL and WORKSTATION_AI_MODEL. For a local model, run Ollama (base URL " +
      "http://127.0.0.1:11434/v1), LM Studio (http://127.0.0.1:1234/v1) or llama.cpp's server (http://127.0.0.1:8080/v1); " +
      "no API key is needed for those."
    );
  }
  if (config.baseUrl && !/^https?:\/\//.test(config.baseUrl)) return `The base URL must start with http:// or https:// (got "${config.baseUrl}").`;
  if (!config.model) return "No model is set. Choose one in the Assistant panel (Provider) or set WORKSTATION_AI_MODEL.";
  if (config.provider !== "openai-compatible" && !config.apiKey) {
    return `The ${config.provider} provider needs an API key: add it in the Assistant panel (stored in the OS keychain) or set WORKSTATION_AI_API_KEY.`;
  }
  return null;
}

/** An identity of the destination, for remembering that its disclosure was acknowledged. */
export function destinationId(config: AssistantConfig): string {
  return `${config.provider} ${config.baseUrl ?? "(default)"}`;
}

/** What will be sent to a cloud provider, in plain words; null for a local one. */
export function disclosure(config: AssistantConfig): string | null {
  if (!isCloud(config)) return null;
  const where = config.baseUrl ?? `${config.provider}'s API`;
  return (
    `Your messages will be sent to ${where} (model ${config.model ?? "not set"}), together with the strategy API's ` +
    "type definitions and the results of the tools the assistant calls: symbol names, candle summaries, the rows " +
    "of its SQL queries over your local data, strategy code and backtest metrics. API keys for exchanges, " +
    "your files and your orders are never sent. The provider's own terms decide what it keeps."
  );
}

/** The settings view the panel shows. */
export function settingsView(config: AssistantConfig, consented: readonly string[], keychainOk: boolean): AssistantSettingsView {
  const problem = configProblem(config);
  const cloud = isCloud(config);
  return {
    configured: problem === null,
    problem,
    provider: config.provider,
    baseUrl: config.baseUrl,
    model: config.model,
    timeoutMs: config.timeoutMs,
    maxToolRounds: config.maxToolRounds,
    maxTokens: config.maxTokens,
    hasApiKey: config.apiKey !== null && config.apiKey !== "",
    keychain: keychainOk ? "ok" : "unavailable",
    envOverrides: config.envOverrides,
    cloud,
    disclosure: disclosure(config),
    consentNeeded: cloud && !consented.includes(destinationId(config)),
  };
}
