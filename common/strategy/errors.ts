/** How a strategy failure is reported from the sandbox to core, the CLI and the UI. */

/** A position in the strategy's own TypeScript source (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** A compiler error at a position in the strategy source (1-based line and column). */
export interface CompileDiagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** A strategy error, as reported from the sandbox. */
export interface StrategyErrorInfo {
  /** "compile" for compiler errors, "runtime" for thrown errors, "limit" for exceeded sandbox limits. */
  kind: "compile" | "runtime" | "limit";
  name: string;
  message: string;
  /** Stack with frames mapped to the strategy source where possible ("" when none). */
  stack: string;
  /** Where the strategy code threw, when known. */
  location: SourceLocation | null;
  phase: "load" | "setup" | "onBar" | "onFill" | "onTrade" | null;
  barIndex: number | null;
  barTime: number | null;
  /** Log lines the run wrote before it failed (absent when none could be kept, e.g. after a limit). */
  logs?: string[];
  /** Log lines dropped beyond the log cap before it failed. */
  logsDropped?: number;
}

/** One line describing a strategy error: `file:line:column: Name: message (in onBar, bar #12)`. */
export function formatStrategyError(e: StrategyErrorInfo): string {
  const at = e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : "";
  const where =
    e.phase && e.phase !== "load" && e.barIndex !== null && e.barIndex >= 0
      ? ` (in ${e.phase}, bar #${e.barIndex}${e.barTime === null ? "" : ` at ${new Date(e.barTime).toISOString()}`})`
      : e.phase && e.phase !== "load"
        ? ` (in ${e.phase})`
        : "";
  return `${at}${e.name}: ${e.message}${where}`;
}
