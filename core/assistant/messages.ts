/**
 * Conversation entries (what is saved and shown) to the SDK's model messages (what is sent).
 * Every tool call gets exactly one result: a call whose result is missing (a turn stopped while
 * it ran) is answered with "not run", since providers reject unanswered calls.
 */
import type { ModelMessage } from "ai";
import type { ChatEntry } from "../../common/api/assistant.ts";

type ToolEntry = Extract<ChatEntry, { role: "tool" }>;
type AssistantEntry = Extract<ChatEntry, { role: "assistant" }>;

function assistantMessage(entry: AssistantEntry): ModelMessage {
  const content: Exclude<Extract<ModelMessage, { role: "assistant" }>["content"], string> = [];
  if (entry.text) content.push({ type: "text", text: entry.text });
  for (const call of entry.toolCalls) content.push({ type: "tool-call", toolCallId: call.id, toolName: call.name, input: call.args });
  return { role: "assistant", content };
}

function toolMessage(results: { id: string; name: string; text: string }[]): ModelMessage {
  return {
    role: "tool",
    content: results.map((r) => ({ type: "tool-result", toolCallId: r.id, toolName: r.name, output: { type: "text", value: r.text } })),
  };
}

/** The model messages of a list of entries. */
export function toModelMessages(entries: readonly ChatEntry[]): ModelMessage[] {
  const out: ModelMessage[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.role === "user") out.push({ role: "user", content: entry.text });
    if (entry.role !== "assistant") continue;
    if (!entry.text && entry.toolCalls.length === 0) continue;
    out.push(assistantMessage(entry));
    if (entry.toolCalls.length === 0) continue;
    const results = new Map<string, ToolEntry>();
    while (i + 1 < entries.length && entries[i + 1]!.role === "tool") {
      const t = entries[++i] as ToolEntry;
      results.set(t.toolCallId, t);
    }
    out.push(
      toolMessage(
        entry.toolCalls.map((call) => ({
          id: call.id,
          name: call.name,
          text: results.get(call.id)?.text ?? "The tool call was not run (the turn was stopped).",
        })),
      ),
    );
  }
  return out;
}

/** Tokens used by a list of entries. */
export function usageOf(entries: readonly ChatEntry[]): { input: number; output: number } {
  let input = 0;
  let output = 0;
  for (const e of entries) {
    if (e.role === "assistant" && e.usage) {
      input += e.usage.input;
      output += e.usage.output;
    }
  }
  return { input, output };
}
