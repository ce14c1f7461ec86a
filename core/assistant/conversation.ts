/**
 * One turn of a conversation: the user's message, then model steps and tool rounds until the
 * model answers without calling tools. The loop is ours, not the SDK's: each step is one
 * `streamText` call with tool definitions but no `execute`, and the loop runs the calls itself —
 * so it can cap tool rounds (the last allowed step gets `toolChoice: "none"`), cap the tokens of
 * the whole conversation, stream every change to the caller, and stop cleanly on abort with
 * every tool call answered.
 */
import { type LanguageModel, streamText } from "ai";
import type { AssistantFailure, ChatEntry, TokenUsage, ToolCallRecord } from "../../common/api/assistant.ts";
import type { AssistantBackend } from "./backend.ts";
import { classifyProviderError } from "./errors.ts";
import { toModelMessages, usageOf } from "./messages.ts";
import { executeTool, newTurnToolState, toolDefinitions, type ToolRun, type TurnToolState } from "./tools/index.ts";
import { failure } from "./tools/context.ts";

type AssistantEntry = Extract<ChatEntry, { role: "assistant" }>;

/** What a turn needs. */
export interface TurnInput {
  model: LanguageModel;
  system: string;
  /** Earlier entries of the conversation. */
  history: readonly ChatEntry[];
  userText: string;
  backend: AssistantBackend;
  maxToolRounds: number;
  /** Tokens the whole conversation may use. */
  maxTokens: number;
  /** Output tokens per step (needed by some providers). */
  maxOutputTokens?: number;
  signal: AbortSignal;
  /** Called after every change of the turn's entries (the array is live: copy it to keep it). */
  onUpdate?: (entries: readonly ChatEntry[]) => void;
  now?: () => number;
}

/** How a turn ended. */
export interface TurnResult {
  status: "done" | "error" | "stopped";
  /** This turn's entries, starting with the user's message. */
  entries: ChatEntry[];
  error?: AssistantFailure;
  /** Tokens of the whole conversation, this turn included. */
  usage: TokenUsage;
  tools: TurnToolState;
}

/** Roughly 4 characters per token, for providers that report no usage. */
const estimateTokens = (chars: number): number => Math.ceil(chars / 4);

function asArgs(input: unknown): Record<string, unknown> {
  return input && typeof input === "object" && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}

interface StepOutcome {
  error?: unknown;
}

/** Streams one model step into `entry`. */
async function streamStep(input: TurnInput, entries: ChatEntry[], entry: AssistantEntry, lastRound: boolean): Promise<StepOutcome> {
  const messages = toModelMessages([...input.history, ...entries.slice(0, -1)]);
  const system = lastRound ? `${input.system}\n\nThe tool round limit is reached: answer now with what you have, without calling tools.` : input.system;
  const update = (): void => input.onUpdate?.(entries);
  let error: unknown;
  try {
    const result = streamText({
      model: input.model,
      system,
      messages,
      tools: toolDefinitions(),
      toolChoice: lastRound ? "none" : "auto",
      maxRetries: 0,
      abortSignal: input.signal,
      onError: () => undefined,
      ...(input.maxOutputTokens ? { maxOutputTokens: input.maxOutputTokens } : {}),
    });
    for await (const part of result.fullStream) {
      if (part.type === "text-delta") {
        entry.text += part.text;
        update();
      } else if (part.type === "tool-call") {
        const call: ToolCallRecord = { id: part.toolCallId, name: part.toolName, args: asArgs(part.input), ok: null };
        if (part.invalid) {
          call.ok = false;
          call.error = `invalid arguments: ${part.error instanceof Error ? part.error.message.split("\n")[0] : "not valid JSON"}`;
        }
        entry.toolCalls.push(call);
        update();
      } else if (part.type === "finish-step") {
        const chars = JSON.stringify(messages).length + system.length;
        entry.usage = {
          input: (entry.usage?.input ?? 0) + (part.usage.inputTokens ?? estimateTokens(chars)),
          output: (entry.usage?.output ?? 0) + (part.usage.outputTokens ?? estimateTokens(entry.text.length + JSON.stringify(entry.toolCalls).length)),
        };
      } else if (part.type === "error") {
        error = part.error;
      }
    }
  } catch (err) {
    error = err;
  }
  return error === undefined ? {} : { error };
}

/** Runs each tool call of `entry` in order, appending a tool entry per call. */
async function runTools(input: TurnInput, entries: ChatEntry[], entry: AssistantEntry, state: TurnToolState, now: () => number, skip?: string): Promise<void> {
  for (const call of entry.toolCalls) {
    let run: ToolRun;
    if (skip !== undefined) run = failure(call.name, `not run: ${skip}`);
    else if (input.signal.aborted) run = failure(call.name, "not run: the turn was stopped");
    else if (call.ok === false) run = failure(call.name, call.error ?? "invalid call");
    else {
      try {
        run = await executeTool(call.name, call.args, { backend: input.backend, signal: input.signal, state });
      } catch {
        run = failure(call.name, "stopped while running");
      }
    }
    call.ok = run.ok;
    if (run.error !== undefined) call.error = run.error;
    if (run.view) call.view = run.view;
    entries.push({ role: "tool", toolCallId: call.id, name: call.name, text: run.text, time: now() });
    input.onUpdate?.(entries);
  }
}

function capFailure(message: string): AssistantFailure {
  return { kind: "cap", message, retryable: false };
}

/** Runs one turn to its end (answer, error, cap or stop). */
export async function runTurn(input: TurnInput): Promise<TurnResult> {
  const now = input.now ?? Date.now;
  const entries: ChatEntry[] = [{ role: "user", text: input.userText, time: now() }];
  const state = newTurnToolState();
  const before = usageOf(input.history);
  const finish = (status: TurnResult["status"], error?: AssistantFailure): TurnResult => {
    const kept = entries.filter((e) => e.role !== "assistant" || e.text !== "" || e.toolCalls.length > 0 || e.usage);
    const after = usageOf(kept);
    return { status, entries: kept, ...(error ? { error } : {}), usage: { input: before.input + after.input, output: before.output + after.output }, tools: state };
  };
  input.onUpdate?.(entries);
  for (let round = 0; ; round++) {
    const used = usageOf(input.history).input + usageOf(input.history).output + usageOf(entries).input + usageOf(entries).output;
    if (used >= input.maxTokens) return finish("error", capFailure(`This conversation used ${used} tokens, its limit is ${input.maxTokens}. Start a new conversation (or raise the assistant.provider maxTokens setting).`));
    const lastRound = round >= input.maxToolRounds;
    const entry: AssistantEntry = { role: "assistant", text: "", toolCalls: [], time: now() };
    entries.push(entry);
    const step = await streamStep(input, entries, entry, lastRound);
    if (input.signal.aborted) {
      await runTools(input, entries, entry, state, now);
      return finish("stopped", classifyProviderError(null, true));
    }
    if (step.error !== undefined && lastRound && (step.error as Error).name === "AI_ToolChoiceViolationError") {
      return finish("error", capFailure(`Stopped after ${input.maxToolRounds} tool rounds (the limit); the model asked for more tools, which were not run.`));
    }
    if (step.error !== undefined) {
      await runTools(input, entries, entry, state, now, "the provider failed");
      return finish("error", classifyProviderError(step.error));
    }
    if (entry.toolCalls.length === 0) return finish("done");
    if (lastRound) {
      await runTools(input, entries, entry, state, now, "the tool round limit was reached");
      return finish("error", capFailure(`Stopped after ${input.maxToolRounds} tool rounds (the limit); the model asked for more tools, which were not run.`));
    }
    await runTools(input, entries, entry, state, now);
    if (input.signal.aborted) return finish("stopped", classifyProviderError(null, true));
  }
}
