/**
 * Type-checks a strategy with the TypeScript compiler API against the "workstation" declarations
 * (`common/strategy/dts.ts`), in memory: the strategy file plus the declaration file plus the
 * ES2023 library (no DOM, no Node types: neither exists in the sandbox). Library files are parsed
 * once per process and reused. {@link typecheckStrategy} bounds the source first, then runs the
 * compiler in a helper process (toolchain-pool.ts) under a deadline and a heap limit, so a check of
 * several seconds never stalls core's event loop (feeds, API, UI streams), and a type-level bomb
 * ends as one diagnostic ("type check exceeded 20 s") without holding up other checks.
 */
import { createRequire } from "node:module";
import path from "node:path";
import type ts from "typescript";
import { STRATEGY_API_DTS } from "../../common/strategy/dts.ts";
import { StrategyCompileError, compileStrategy, fileDiagnostic, type CompileDiagnostic, type ToolchainOptions } from "./compile.ts";
import { checkSourceLimits } from "./source-limits.ts";
import { ToolchainLimitError, runInHelper } from "./toolchain-pool.ts";

const ROOT = "/strategy";
const DTS_PATH = `${ROOT}/node_modules/workstation/index.d.ts`;

let tsModule: typeof ts | null = null;
const libCache = new Map<string, ts.SourceFile>();

// Loaded with `require`, not `import()`: an import of this 9 MB CommonJS file first scans it for
// its named exports and module syntax, which took as long again as loading it (~0.2 s here).
async function loadTs(): Promise<typeof ts> {
  tsModule ??= createRequire(import.meta.url)("typescript") as typeof ts;
  return Promise.resolve(tsModule);
}

function makeHost(t: typeof ts, options: ts.CompilerOptions, files: Map<string, string>): ts.CompilerHost {
  const libDir = path.dirname(t.getDefaultLibFilePath(options));
  // Only the in-memory files and the compiler's own library: a `/// <reference path>` to any other
  // file on disk must not be read (its text would leak through the diagnostics).
  const read = (name: string): string | undefined => files.get(name) ?? (name.startsWith(libDir) ? t.sys.readFile(name) : undefined);
  return {
    getSourceFile: (name, languageVersion) => {
      const isLib = name.startsWith(libDir);
      const hit = isLib ? libCache.get(name) : undefined;
      if (hit) return hit;
      const text = read(name);
      if (text === undefined) return undefined;
      const sf = t.createSourceFile(name, text, languageVersion);
      if (isLib) libCache.set(name, sf);
      return sf;
    },
    getDefaultLibFileName: (o) => t.getDefaultLibFilePath(o),
    writeFile: () => undefined,
    getCurrentDirectory: () => ROOT,
    getDirectories: () => [],
    fileExists: (name) => files.has(name) || (name.startsWith(libDir) && t.sys.fileExists(name)),
    readFile: read,
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
  };
}

/** Type errors of a strategy, computed in this process (blocks it for the compiler's run; no limits). */
export async function typecheckInProcess(source: string, filename: string): Promise<CompileDiagnostic[]> {
  const t = await loadTs();
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: t.ScriptTarget.ES2022,
    module: t.ModuleKind.ESNext,
    moduleResolution: t.ModuleResolutionKind.Bundler,
    lib: ["lib.es2023.d.ts"],
    types: [],
    skipLibCheck: true,
    allowImportingTsExtensions: true,
  };
  const file = `${ROOT}/${path.basename(filename).replace(/\.[cm]?[jt]s$/, "")}.ts`;
  const files = new Map([
    [file, source],
    [DTS_PATH, STRATEGY_API_DTS],
    [`${ROOT}/node_modules/workstation/package.json`, '{"name":"workstation","types":"index.d.ts"}'],
  ]);
  const program = t.createProgram({ rootNames: [file], options, host: makeHost(t, options, files) });
  const diags = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics(), ...program.getOptionsDiagnostics()];
  return diags.map((d) => {
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
    return {
      file: filename,
      line: pos.line + 1,
      column: pos.character + 1,
      message: `${t.flattenDiagnosticMessageText(d.messageText, "\n")} (TS${d.code})`,
    };
  });
}

/**
 * Type errors of a strategy (empty when it type-checks), computed off the event loop. A source
 * over the limits, a check past its deadline or out of heap gives one diagnostic saying so.
 */
export async function typecheckStrategy(source: string, filename: string, opts: ToolchainOptions = {}): Promise<CompileDiagnostic[]> {
  const refused = checkSourceLimits(source, filename, opts.sourceLimits);
  if (refused) return [refused];
  try {
    const reply = (await runInHelper("typecheck", source, filename, "type check", opts)) as { diagnostics: CompileDiagnostic[] };
    return reply.diagnostics;
  } catch (err) {
    if (err instanceof ToolchainLimitError) return [fileDiagnostic(filename, err.message)];
    throw err;
  }
}

/** Transpile errors, then (when it transpiles) type errors, of a strategy; empty when it is fine. */
export async function strategyDiagnostics(source: string, filename: string, opts: ToolchainOptions = {}): Promise<CompileDiagnostic[]> {
  try {
    await compileStrategy(source, filename, opts);
  } catch (err) {
    if (err instanceof StrategyCompileError) return err.diagnostics;
    throw err;
  }
  return typecheckStrategy(source, filename, opts);
}
