/**
 * The editor's problems list: the TypeScript checker's errors and the errors core reported for
 * the last run (compile or run time), one list in line order, each at most once. A click asks the
 * editor to reveal the line (`requestReveal`), which the code editor listens for.
 */
import { create } from "zustand";
import type { RunDiagnostic } from "../stores/backtest.ts";

/** One problem as listed: where it is, what it says and who found it. */
export interface Problem extends RunDiagnostic {
  source: "type" | "run";
}

/** Type errors and run errors merged in line (then column) order; an identical entry is listed once. */
export function problemList(typeErrors: readonly RunDiagnostic[], runErrors: readonly RunDiagnostic[]): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  const add = (d: RunDiagnostic, source: Problem["source"]): void => {
    const key = `${d.line}:${d.column}:${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ line: d.line, column: d.column, message: d.message, source });
  };
  for (const d of runErrors) add(d, "run");
  for (const d of typeErrors) add(d, "type");
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The checker's current errors and the editor's pending "go to line" request. */
interface ProblemsState {
  typeErrors: RunDiagnostic[];
  /** The position to reveal; `seq` makes a second click on the same line count. */
  reveal: { line: number; column: number; seq: number } | null;
  setTypeErrors(list: RunDiagnostic[]): void;
  requestReveal(line: number, column: number): void;
}

/** The problems store. */
export const useProblems = create<ProblemsState>((set, get) => ({
  typeErrors: [],
  reveal: null,
  setTypeErrors: (list) => set({ typeErrors: list }),
  requestReveal: (line, column) => set({ reveal: { line, column, seq: (get().reveal?.seq ?? 0) + 1 } }),
}));
