/** What a tool implementation receives and returns, shared by every tool file. */
import { parseUtcTime } from "../../../common/time.ts";
import type { ToolResultView } from "../../../common/api/assistant.ts";
import type { Progress } from "../../../common/api/index.ts";
import type { AssistantBackend } from "../backend.ts";
import { quoteResult } from "./quote.ts";

/** What the tools of one turn remember between calls. */
export interface TurnToolState {
  /** write_strategy failures since the last successful save (repair rounds used + 1). */
  failedWrites: number;
  /** Names saved in this turn, in order. */
  strategies: string[];
  /** Backtests run in this turn. */
  backtests: { strategy: string; metrics: Record<string, number | null> }[];
}

/** A fresh per-turn state. */
export function newTurnToolState(): TurnToolState {
  return { failedWrites: 0, strategies: [], backtests: [] };
}

/** Passed to every tool call. */
export interface ToolContext {
  backend: AssistantBackend;
  signal: AbortSignal;
  state: TurnToolState;
  onProgress?: (progress: Progress) => void;
}

/** The outcome of one tool call. */
export interface ToolRun {
  ok: boolean;
  /** What the model sees: quoted, size-limited. */
  text: string;
  /** What the chat panel shows. */
  view?: ToolResultView;
  /** One-line reason when `ok` is false. */
  error?: string;
}

/** A bad argument value (the schema accepted the type, the value is wrong). */
export class ToolInputError extends Error {
  override name = "ToolInputError";
}

/** A successful outcome. */
export function success(tool: string, payload: unknown, view?: ToolResultView): ToolRun {
  return { ok: true, text: quoteResult(tool, true, payload), ...(view ? { view } : {}) };
}

/** A failed outcome; `extra` goes to the model beside the error. */
export function failure(tool: string, error: string, extra: Record<string, unknown> = {}, view?: ToolResultView): ToolRun {
  return { ok: false, error, text: quoteResult(tool, false, { error, ...extra }), ...(view ? { view } : {}) };
}

/** Parses an ISO date (date-only = UTC midnight) to UTC ms. */
export function parseIsoDate(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseUtcTime(value);
  if (ms === null) throw new ToolInputError(`${field} must be an ISO date like 2024-01-31 or 2024-01-31T12:00:00Z (got "${value}")`);
  return ms;
}

/** UTC ms as compact ISO text (date only at midnight). */
export function isoTime(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  const iso = new Date(ms).toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.replace(".000Z", "Z");
}
