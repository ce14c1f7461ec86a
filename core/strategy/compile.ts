/**
 * Transpiles a strategy's TypeScript to one script for the sandbox (outside the isolate), with
 * esbuild: the module is bundled as an IIFE assigning `__strategyModule`, `"workstation"` resolves
 * to the sandbox's API object, and every other import is a compile error. Errors carry the
 * strategy's line:column; a source map goes with the code so runtime errors map back too.
 * {@link compileStrategy} first bounds the source's size and nesting, then compiles in a helper
 * process (toolchain-pool.ts), so a source that kills esbuild's service (a Go stack overflow)
 * costs one line of error, not core's compiler nor a screen of Go stack.
 */
import type { BuildOptions, BuildResult, Message, Plugin } from "esbuild";
import { ApiError } from "../../common/api/errors.ts";
import type { CompileDiagnostic } from "../../common/strategy/errors.ts";
import { checkSourceLimits, type SourceLimits } from "./source-limits.ts";
import { ToolchainLimitError, runInHelper, type HelperRequestOptions } from "./toolchain-pool.ts";

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

/** `err` as an API client sees it: a compile error is `bad_request` with its diagnostics, anything else as it is. */
export function asApiCompileError(err: unknown): unknown {
  return err instanceof StrategyCompileError ? new ApiError("bad_request", err.message, { kind: "compile", diagnostics: err.diagnostics }) : err;
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

/** Limits of a compile or type-check (internal: tests tighten them). */
export interface ToolchainOptions extends HelperRequestOptions {
  sourceLimits?: Partial<SourceLimits>;
}

/** One diagnostic at the top of the file. */
export const fileDiagnostic = (file: string, message: string): CompileDiagnostic => ({ file, line: 1, column: 1, message });

const serviceDied = (err: unknown) => err instanceof Error && /service (was stopped|is no longer running)/.test(err.message);

/** esbuild's build; when its service has died (now or before), starts a fresh one and tries once more. */
async function buildRestarting(options: BuildOptions & { write: false }, filename: string): Promise<BuildResult<typeof options>> {
  // Loaded on first use: only the helper process compiles, the processes that start it never need esbuild.
  const { build, stop } = await import("esbuild");
  for (let attempt = 0; ; attempt++) {
    try {
      return await build(options);
    } catch (err) {
      if (!serviceDied(err)) throw err;
      await stop();
      if (attempt > 0) throw new StrategyCompileError([fileDiagnostic(filename, "esbuild crashed compiling this strategy (most likely nesting too deep); simplify it")]);
    }
  }
}

/** Transpiles `source` with esbuild in this process; throws {@link StrategyCompileError} with positions on failure. */
export async function compileInProcess(source: string, filename: string): Promise<CompiledStrategy> {
  try {
    const out = await buildRestarting({
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
    }, filename);
    const code = out.outputFiles.find((f) => f.path.endsWith(".js"))!.text;
    const sourceMap = out.outputFiles.find((f) => f.path.endsWith(".map"))!.text;
    return { code, sourceMap, filename };
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) throw new StrategyCompileError(toDiagnostics(errors, filename));
    throw err;
  }
}

/** Transpiles `source` within the source and helper limits; throws {@link StrategyCompileError} on failure (limits included). */
export async function compileStrategy(source: string, filename: string, opts: ToolchainOptions = {}): Promise<CompiledStrategy> {
  const refused = checkSourceLimits(source, filename, opts.sourceLimits);
  if (refused) throw new StrategyCompileError([refused]);
  let reply: { compiled: CompiledStrategy } | { diagnostics: CompileDiagnostic[] };
  try {
    reply = (await runInHelper("compile", source, filename, "compile", opts)) as typeof reply;
  } catch (err) {
    if (err instanceof ToolchainLimitError) throw new StrategyCompileError([fileDiagnostic(filename, err.message)]);
    throw err;
  }
  if ("diagnostics" in reply) throw new StrategyCompileError(reply.diagnostics);
  return reply.compiled;
}
