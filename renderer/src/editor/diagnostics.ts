/**
 * Errors of a strategy run as editor markers: compile errors arrive as structured diagnostics
 * (`details.diagnostics`), run-time errors as "file.ts:line:column: Name: message" text. What is
 * shown has its control characters escaped (the strategy chose the text).
 */
import { escapeControls } from "../../../common/text/escape.ts";
import type { RunDiagnostic } from "../stores/backtest.ts";

function structured(details: unknown): RunDiagnostic[] {
  const list = Array.isArray(details) ? details : (details as { diagnostics?: unknown } | null)?.diagnostics;
  if (!Array.isArray(list)) return [];
  return list
    .filter((d): d is { line: number; column?: number; message?: string } => typeof d === "object" && d !== null && typeof (d as { line?: unknown }).line === "number")
    .map((d) => ({ line: d.line, column: typeof d.column === "number" ? d.column : 1, message: typeof d.message === "string" ? d.message : "error" }));
}

/** The errors at a line:column found in an error's details or message. */
export function diagnosticsFrom(message: string, details?: unknown): RunDiagnostic[] {
  const found = structured(details);
  if (found.length > 0) return found;
  const out: RunDiagnostic[] = [];
  for (const m of message.matchAll(/\.[cm]?[jt]s:(\d+):(\d+):?\s*([^\n]*)/g)) {
    out.push({ line: Number(m[1]), column: Number(m[2]), message: m[3]!.trim() || message });
  }
  return out;
}

/** A failed run as shown: the message (line breaks kept) and its diagnostics, control characters escaped. */
export function runFailure(message: string, details?: unknown): { message: string; diagnostics: RunDiagnostic[] } {
  const diagnostics = diagnosticsFrom(message, details).map((d) => ({ ...d, message: escapeControls(d.message) }));
  return { message: escapeControls(message, { keepNewlines: true }), diagnostics };
}
