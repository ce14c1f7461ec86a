/**
 * Transpiles a strategy's TypeScript to one script for the sandbox (outside the isolate), with
 * esbuild: the module is bundled as an IIFE assigning `__strategyModule`, `"workstation"` resolves
 * to the sandbox's API object, and every other import is a compile error. Errors carry the
 * strategy's line:column; a source map goes with the code so runtime errors map back too.
 */
import { build, type Message, type Plugin } from "esbuild";
import type { CompileDiagnostic } from "../../common/strategy/errors.ts";

export type { CompileDiagnostic };

/** Compiled strategy, ready for the worker. */
export interface CompiledStrategy {
  code: string;
  sourceMap: string;
  filename: string;
}

/** A strategy did not compile. */
export class StrategyCompileError extends Error {
  readonly diagnostics: CompileDiagnostic[];
  constructor(diagnostics: CompileDiagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join("\n"));
    this.name = "StrategyCompileError";
    this.diagnostics = diagnostics;
  }
}

/** `file:line:column: error: message`, the way compilers print it. */
export function formatDiagnostic(d: CompileDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: error: ${d.message}`;
}

const onlyWorkstation: Plugin = {
  name: "workstation-only",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      if (args.path === "workstation") return { path: "workstation", namespace: "workstation" };
      return { errors: [{ text: `a strategy may only import "workstation" (found "${args.path}")` }] };
    });
    b.onLoad({ filter: /.*/, namespace: "workstation" }, () => ({ contents: "module.exports = globalThis.__ws.api;", loader: "js" }));
  },
};

function toDiagnostics(messages: readonly Message[], filename: string): CompileDiagnostic[] {
  return messages.map((m) => ({
    file: filename,
    line: m.location?.line ?? 1,
    column: (m.location?.column ?? 0) + 1,
    message: m.text,
  }));
}

/** Transpiles `source`; throws {@link StrategyCompileError} with positions on failure. */
export async function compileStrategy(source: string, filename: string): Promise<CompiledStrategy> {
  try {
    const out = await build({
      stdin: { contents: source, loader: "ts", sourcefile: filename, resolveDir: "/" },
      bundle: true,
      format: "iife",
      globalName: "__strategyModule",
      platform: "neutral",
      target: "es2022",
      outfile: "strategy.js",
      sourcemap: "external",
      write: false,
      logLevel: "silent",
      plugins: [onlyWorkstation],
    });
    const code = out.outputFiles.find((f) => f.path.endsWith(".js"))!.text;
    const sourceMap = out.outputFiles.find((f) => f.path.endsWith(".map"))!.text;
    return { code, sourceMap, filename };
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) throw new StrategyCompileError(toDiagnostics(errors, filename));
    throw err;
  }
}
