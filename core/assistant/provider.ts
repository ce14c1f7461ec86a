/**
 * Builds the language model of a configuration with the Vercel AI SDK: the chat-completions API
 * for any OpenAI-compatible server (streaming and function tools, not the Responses API), or the
 * native Anthropic and Google APIs. Every request goes through the resilient fetch.
 */
import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogle } from "@ai-sdk/google";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import { type AssistantConfig, configProblem } from "./config.ts";
import { AssistantConfigError } from "./errors.ts";
import { createResilientFetch, type RetryNotice } from "./http.ts";

// The SDK prints its warnings with console.warn; core's stdout/stderr are for logs and command output.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

/** The output-token limit to ask for: Anthropic's API requires one; others use the model's own. */
export function outputTokenLimit(config: AssistantConfig): number | undefined {
  return config.provider === "anthropic" ? 8192 : undefined;
}

/** Options of {@link createModel}. */
export interface ModelOptions {
  onRetry?: (notice: RetryNotice) => void;
  /** Overrides of the retry timing, for tests. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  baseDelayMs?: number;
}

/** The model a configuration names; throws {@link AssistantConfigError} when it is incomplete. */
export function createModel(config: AssistantConfig, options: ModelOptions = {}): LanguageModel {
  const problem = configProblem(config);
  if (problem !== null || !config.model) throw new AssistantConfigError(problem ?? "No model is set.");
  const fetch = createResilientFetch({
    timeoutMs: config.timeoutMs,
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
  });
  const baseURL = config.baseUrl ?? undefined;
  const apiKey = config.apiKey ?? undefined;
  switch (config.provider) {
    case "anthropic":
      return createAnthropic({ ...(baseURL ? { baseURL } : {}), ...(apiKey ? { apiKey } : {}), fetch })(config.model);
    case "google":
      return createGoogle({ ...(baseURL ? { baseURL } : {}), ...(apiKey ? { apiKey } : {}), fetch })(config.model);
    case "openai-compatible":
      return createOpenAICompatible({
        name: "openai-compatible",
        baseURL: baseURL!,
        ...(apiKey ? { apiKey } : {}),
        includeUsage: true,
        fetch,
      }).chatModel(config.model);
  }
}
