/**
 * The problems list under the editor: every type error and every error of the last failed run,
 * with its line; a click (or Enter) moves the editor's cursor to it. Hidden when there is none.
 */
import { useBacktest } from "../stores/backtest.ts";
import { problemList, useProblems } from "./problems.ts";

const NO_RUN_ERRORS: never[] = [];

/** The problems list. */
export function ProblemsList(): React.JSX.Element | null {
  const typeErrors = useProblems((s) => s.typeErrors);
  const runErrors = useBacktest((s) => (s.run.kind === "failed" ? s.run.diagnostics : NO_RUN_ERRORS));
  const list = problemList(typeErrors, runErrors);
  if (list.length === 0) return null;
  return (
    <ul className="problems" data-testid="problems" aria-label="Problems">
      {list.map((p) => (
        <li key={`${p.source}:${p.line}:${p.column}:${p.message}`}>
          <button type="button" className="problem" data-testid="problem" data-line={p.line} onClick={() => useProblems.getState().requestReveal(p.line, p.column)}>
            <span className="problem-where">{p.source === "run" ? "run" : "type"} · line {p.line}:{p.column}</span> {p.message}
          </button>
        </li>
      ))}
    </ul>
  );
}
