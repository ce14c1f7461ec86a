/**
 * The `assistant.*` part of the API map: provider settings, saved conversations, and the chat
 * itself as a stream. Subscribing to `assistant.chat` sends one message and streams snapshots of
 * that turn (text so far, tool calls with their results); unsubscribing stops generation.
 */
import { z } from "zod";
import type { RunView } from "../strategy/results.ts";
import { method, stream } from "./define.ts";

/** Which wire format the provider speaks. */
export type AssistantProviderKind = "openai-compatible" | "anthropic" | "google";

/** The provider kinds, for schemas and forms. */
export const ASSISTANT_PROVIDERS = ["openai-compatible", "anthropic", "google"] as const satisfies readonly AssistantProviderKind[];

/** Why a turn failed. */
export type AssistantErrorKind =
  | "auth"
  | "rate_limit"
  | "server"
  | "timeout"
  | "network"
  | "bad_request"
  | "config"
  | "consent"
  | "cap"
  | "cancelled"
  | "unknown";

/** A failed turn, in words a trader can act on. */
export interface AssistantFailure {
  kind: AssistantErrorKind;
  message: string;
  /** Whether a Retry button makes sense. */
  retryable: boolean;
  /** HTTP status when the provider answered with one. */
  status?: number;
}

/** A compiler error in a strategy, at its own line:column (1-based). */
export interface StrategyDiagnostic {
  line: number;
  column: number;
  message: string;
}

/** What a tool call produced, shaped for the chat panel's cards. */
export type ToolResultView =
  | { kind: "symbols"; symbols: { symbol: string; venue: string; timeframes?: string[]; from?: number | null; to?: number | null }[] }
  | { kind: "candles"; symbol: string; timeframe: string; bars: number; first: number | null; last: number | null; stats: Record<string, number | null> }
  | { kind: "table"; sql: string; columns: string[]; rows: unknown[][]; truncated: boolean }
  | { kind: "strategy"; name: string; version: number | null; code: string; diagnostics: StrategyDiagnostic[] }
  | {
      kind: "backtest";
      strategy: string;
      symbol: string;
      timeframe: string;
      runId: number | null;
      /** Key of the full result in core (`assistant.backtestResult`), while core keeps it. */
      resultId: string | null;
      bars: number;
      metrics: Record<string, number | null>;
      trades: number;
      /** The cash and costs the run used (commission a fraction per fill, slippage in bps). */
      costs?: { cash: number; commission: number; slippageBps: number };
    }
  | { kind: "sweep"; strategy: string; symbol: string; timeframe: string; rows: { params: Record<string, unknown>; metrics: Record<string, number | null> | null; error?: string }[] };

/** One tool call of an assistant message. `ok` is null while it runs. */
export interface ToolCallRecord {
  id: string;
  name: string;
  args: Record<string, unknown>;
  ok: boolean | null;
  error?: string;
  view?: ToolResultView;
}

/** Tokens a step or a conversation used. */
export interface TokenUsage {
  input: number;
  output: number;
}

/** One entry of a conversation. `tool` entries carry the text the model saw (quoted, size-limited). */
export type ChatEntry =
  | { role: "user"; text: string; time: number }
  | { role: "assistant"; text: string; toolCalls: ToolCallRecord[]; usage?: TokenUsage; time: number }
  | { role: "tool"; toolCallId: string; name: string; text: string; time: number };

/** A saved conversation in the list. */
export interface ConversationSummary {
  id: number;
  title: string;
  createdAt: number;
  updatedAt: number;
}

/** A saved conversation with its entries. */
export interface Conversation extends ConversationSummary {
  entries: ChatEntry[];
  usage: TokenUsage;
}

/** Where the turn stands. */
export type TurnStatus = "running" | "retrying" | "done" | "error" | "stopped";

/** A snapshot of the turn in progress (the latest replaces the previous). */
export interface TurnSnapshot {
  conversationId: number | null;
  status: TurnStatus;
  /** Entries of this turn: the user's message, then assistant and tool entries. */
  entries: ChatEntry[];
  error?: AssistantFailure;
  /** A passing notice, e.g. "rate-limited, retrying in 2 s (1/3)". */
  notice?: string;
  /** Tokens used by the whole conversation so far. */
  usage: TokenUsage;
}

/** A backtest the assistant ran, in full, for the results panel. */
export interface AssistantBacktestResult extends RunView {
  resultId: string;
  runId: number | null;
  strategy: string;
}

/** The provider settings as the panel shows them (the key itself never leaves core). */
export interface AssistantSettingsView {
  configured: boolean;
  /** Why it is not configured, and how to fix it. */
  problem: string | null;
  provider: AssistantProviderKind;
  baseUrl: string | null;
  model: string | null;
  timeoutMs: number;
  maxToolRounds: number;
  maxTokens: number;
  hasApiKey: boolean;
  /** "unavailable" when the OS keychain cannot be used (keys then only come from the environment). */
  keychain: "ok" | "unavailable";
  /** Settings overridden by WORKSTATION_AI_* environment variables. */
  envOverrides: string[];
  /** True when requests leave this machine. */
  cloud: boolean;
  /** What will be sent to a cloud provider, in plain words. */
  disclosure: string | null;
  /** True until the user acknowledged the disclosure for this provider. */
  consentNeeded: boolean;
}

const configureParams = z.object({
  provider: z.enum(ASSISTANT_PROVIDERS),
  baseUrl: z.string().max(2000).nullable().optional(),
  model: z.string().max(300).nullable().optional(),
  timeoutMs: z.number().int().min(1000).max(3_600_000).optional(),
  maxToolRounds: z.number().int().min(1).max(100).optional(),
  maxTokens: z.number().int().min(1000).max(100_000_000).optional(),
  /** A new key (stored in the OS keychain), null to delete it, absent to keep it. */
  apiKey: z.string().max(4000).nullable().optional(),
});

const chatParams = z
  .object({
    conversationId: z.number().int().positive().optional(),
    text: z.string().min(1).max(100_000).optional(),
    /** Re-run the last user message of the conversation (after a provider error). */
    retry: z.boolean().optional(),
  })
  .refine((p) => p.text !== undefined || (p.retry === true && p.conversationId !== undefined), {
    message: "give text, or retry with a conversationId",
  });

/** Requests and streams of the AI assistant. */
export const assistantApi = {
  "assistant.settings": method(z.object({})).returns<AssistantSettingsView>(),
  "assistant.configure": method(configureParams).returns<AssistantSettingsView>(),
  "assistant.consent": method(z.object({})).returns<AssistantSettingsView>(),
  "assistant.conversations": method(z.object({ limit: z.number().int().min(1).max(1000).default(200) })).returns<ConversationSummary[]>(),
  "assistant.conversation": method(z.object({ id: z.number().int().positive() })).returns<Conversation>(),
  "assistant.deleteConversation": method(z.object({ id: z.number().int().positive() })).returns<{ deleted: boolean }>(),
  "assistant.backtestResult": method(z.object({ resultId: z.string().min(1).max(100) })).returns<AssistantBacktestResult>(),
  "assistant.chat": stream(chatParams, "latest").emits<TurnSnapshot>(),
};
