/**
 * Maps positions in the transpiled strategy script back to the strategy's TypeScript source, so
 * errors show the strategy's own line:column. Uses Node's built-in source-map reader.
 */
import { SourceMap, type SourceMapPayload } from "node:module";
import type { SourceLocation } from "../../common/strategy/errors.ts";

/** The script name strategy code runs under inside the sandbox. */
export const STRATEGY_SCRIPT = "strategy.js";
/** The script name of the engine inside the sandbox. */
export const ENGINE_SCRIPT = "workstation-engine.js";

const FRAME = /strategy\.js:(\d+):(\d+)/g;

/** Maps generated positions to the original file. */
export class StrategyMapper {
  private readonly map: SourceMap | null;
  private readonly file: string;

  constructor(sourceMap: string | null, file: string) {
    this.file = file;
    let map: SourceMap | null = null;
    if (sourceMap) {
      try {
        map = new SourceMap(JSON.parse(sourceMap) as SourceMapPayload);
      } catch {
        map = null;
      }
    }
    this.map = map;
  }

  /** The original position of a 1-based generated line:column. */
  locate(line: number, column: number): SourceLocation {
    if (!this.map) return { file: this.file, line, column };
    const entry = this.map.findEntry(line - 1, column - 1) as { originalLine?: number; originalColumn?: number };
    if (entry.originalLine === undefined || entry.originalColumn === undefined) return { file: this.file, line, column };
    return { file: this.file, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  }

  /** The stack with strategy frames mapped and engine frames dropped; plus the first mapped frame. */
  mapStack(stack: string): { stack: string; location: SourceLocation | null } {
    let location: SourceLocation | null = null;
    const lines = stack
      .split("\n")
      .filter((l) => !l.includes(ENGINE_SCRIPT) && !l.includes("<isolated-vm boundary>") && !/^\s+at .*file:\/\//.test(l))
      .map((l) =>
        l.replace(FRAME, (_m, ln: string, col: string) => {
          const loc = this.locate(Number(ln), Number(col));
          location ??= loc;
          return `${loc.file}:${loc.line}:${loc.column}`;
        }),
      );
    return { stack: lines.join("\n"), location };
  }
}
