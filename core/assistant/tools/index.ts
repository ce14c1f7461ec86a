/**
 * The assistant's tool box: the definitions handed to the SDK (no `execute`: the conversation
 * loop runs each call itself, so it can count rounds, show progress and stop), and `execute`,
 * which validates a call's arguments again and turns every failure into a result the model reads.
 */
import { type ToolSet, tool } from "ai";
import type { z } from "zod";
import { getCandles, listSymbols, queryData } from "./data-tools.ts";
import { type ToolContext, type ToolRun, failure } from "./context.ts";
import { runBacktest, runSweep, writeStrategy } from "./strategy-tools.ts";
import { TOOL_DESCRIPTIONS, TOOL_INPUTS, type ToolArgs, type ToolName } from "./schemas.ts";

export { newTurnToolState, type ToolContext, type ToolRun, type TurnToolState } from "./context.ts";
export { TOOL_INPUTS, type ToolName } from "./schemas.ts";

type Impl<N extends ToolName> = (args: ToolArgs<N>, ctx: ToolContext) => Promise<ToolRun>;

const IMPLEMENTATIONS: { [N in ToolName]: Impl<N> } = {
  list_symbols: listSymbols,
  get_candles: getCandles,
  query_data: queryData,
  write_strategy: writeStrategy,
  run_backtest: runBacktest,
  run_sweep: runSweep,
};

/** The tool definitions sent to the model. */
export function toolDefinitions(): ToolSet {
  const set: ToolSet = {};
  for (const name of Object.keys(TOOL_INPUTS) as ToolName[]) {
    const inputSchema: z.ZodType<Record<string, unknown>> = TOOL_INPUTS[name];
    set[name] = tool({ description: TOOL_DESCRIPTIONS[name], inputSchema });
  }
  return set;
}

/** True when `name` is one of the assistant's tools. */
export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(TOOL_INPUTS, name);
}

/** Runs one tool call; never throws except when the turn was stopped. */
export async function executeTool(name: string, rawArgs: unknown, ctx: ToolContext): Promise<ToolRun> {
  if (!isToolName(name)) return failure(name, `unknown tool "${name}"; the tools are ${Object.keys(TOOL_INPUTS).join(", ")}`);
  const parsed = TOOL_INPUTS[name].safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return failure(name, `invalid arguments${issue?.path.length ? ` at ${issue.path.join(".")}` : ""}: ${issue?.message ?? "invalid"}`);
  }
  try {
    return await (IMPLEMENTATIONS[name] as Impl<ToolName>)(parsed.data as ToolArgs<ToolName>, ctx);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    return failure(name, err instanceof Error ? err.message.split("\n")[0]!.slice(0, 500) : String(err));
  }
}
