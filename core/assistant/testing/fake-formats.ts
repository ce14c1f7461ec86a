/**
 * Server-sent-event encoders of the fake provider, one per wire format: OpenAI chat-completions
 * chunks, Anthropic message events and Google streamGenerateContent responses. Text is split into
 * small chunks and tool-call arguments are streamed in pieces where the format allows it, so the
 * client's incremental parsing is exercised.
 */

/** The subset of a reply turn the encoders need. */
export interface ReplyShape {
  text?: string;
  toolCalls?: { name: string; args: Record<string, unknown> | string; id?: string }[];
  usage?: { input: number; output: number };
}

/** Encodes a reply as SSE event strings. */
export interface ReplyWriter {
  start(): string[];
  text(text: string): string[];
  reply(turn: ReplyShape): string[];
}

const CHUNK = 7;

function pieces(text: string, size = CHUNK): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function argsText(args: Record<string, unknown> | string): string {
  return typeof args === "string" ? args : JSON.stringify(args);
}

const data = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;

let callCounter = 0;
const nextCallId = (prefix: string): string => `${prefix}${++callCounter}`;

/** OpenAI chat-completions chunks. */
export function openAiWriter(model: string): ReplyWriter {
  const base = { id: "chatcmpl-fake", object: "chat.completion.chunk", created: 1_700_000_000, model };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
    data({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
  const start = (): string[] => [chunk({ role: "assistant", content: "" })];
  const text = (t: string): string[] => pieces(t).map((p) => chunk({ content: p }));
  return {
    start,
    text,
    reply(turn) {
      const out = [...start(), ...text(turn.text ?? "")];
      (turn.toolCalls ?? []).forEach((call, index) => {
        const id = call.id ?? nextCallId("call_");
        out.push(chunk({ tool_calls: [{ index, id, type: "function", function: { name: call.name, arguments: "" } }] }));
        for (const p of pieces(argsText(call.args), 16)) out.push(chunk({ tool_calls: [{ index, function: { arguments: p } }] }));
      });
      out.push(chunk({}, turn.toolCalls?.length ? "tool_calls" : "stop"));
      const usage = turn.usage ?? { input: 100, output: 20 };
      out.push(data({ ...base, choices: [], usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output } }));
      out.push("data: [DONE]\n\n");
      return out;
    },
  };
}

/** Anthropic messages events. */
export function anthropicWriter(model: string): ReplyWriter {
  const event = (type: string, body: Record<string, unknown>): string => `event: ${type}\n${data({ type, ...body })}`;
  const start = (input = 100): string[] => [
    event("message_start", {
      message: { id: "msg_fake", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: input, output_tokens: 1 } },
    }),
  ];
  const textBlock = (index: number, t: string): string[] => [
    event("content_block_start", { index, content_block: { type: "text", text: "" } }),
    ...pieces(t).map((p) => event("content_block_delta", { index, delta: { type: "text_delta", text: p } })),
  ];
  return {
    start: () => start(),
    text: (t) => textBlock(0, t),
    reply(turn) {
      const usage = turn.usage ?? { input: 100, output: 20 };
      const out = start(usage.input);
      let index = 0;
      if (turn.text) out.push(...textBlock(index, turn.text), event("content_block_stop", { index: index++ }));
      for (const call of turn.toolCalls ?? []) {
        out.push(event("content_block_start", { index, content_block: { type: "tool_use", id: call.id ?? nextCallId("toolu_"), name: call.name, input: {} } }));
        for (const p of pieces(argsText(call.args), 16)) out.push(event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: p } }));
        out.push(event("content_block_stop", { index: index++ }));
      }
      const stop = turn.toolCalls?.length ? "tool_use" : "end_turn";
      out.push(event("message_delta", { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output } }));
      out.push(event("message_stop", {}));
      return out;
    },
  };
}

/** Google streamGenerateContent (alt=sse) responses. */
export function googleWriter(): ReplyWriter {
  const response = (parts: unknown[], finish?: string, usage?: { input: number; output: number }): string =>
    data({
      candidates: [{ content: { role: "model", parts }, index: 0, ...(finish ? { finishReason: finish } : {}) }],
      ...(usage ? { usageMetadata: { promptTokenCount: usage.input, candidatesTokenCount: usage.output, totalTokenCount: usage.input + usage.output } } : {}),
    });
  const text = (t: string): string[] => pieces(t).map((p) => response([{ text: p }]));
  return {
    start: () => [],
    text,
    reply(turn) {
      const out = text(turn.text ?? "");
      const calls = (turn.toolCalls ?? []).map((c) => ({ functionCall: { name: c.name, args: typeof c.args === "string" ? JSON.parse(c.args) : c.args } }));
      out.push(response(calls.length ? calls : [{ text: "" }], "STOP", turn.usage ?? { input: 100, output: 20 }));
      return out;
    },
  };
}
