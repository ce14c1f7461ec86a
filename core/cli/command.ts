/** The shape of a CLI subcommand and the helpers every subcommand shares. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { TIMEFRAMES, type Timeframe } from "../../common/market/bars.ts";
import { resolveDataDir } from "../platform/paths.ts";

/** Option definitions in `node:util` parseArgs form. */
export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** Parsed arguments handed to a command. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  dataDir: string;
}

/** Where a command writes: stdout for its output only, stderr for people. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

/** One `workstation` subcommand. */
export interface CliCommand {
  name: string;
  /** Usage text after `workstation NAME`, e.g. "[--port N] [--open]". */
  usage: string;
  /** Lines describing each option, shown by --help. */
  help: string[];
  options: OptionSpec;
  allowPositionals?: boolean;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** A bad command line: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** Options every subcommand accepts. */
export const COMMON_OPTIONS: OptionSpec = {
  "data-dir": { type: "string" },
  help: { type: "boolean", short: "h" },
};

/** Parses argv for a command; throws {@link UsageError} with parseArgs' message on bad input. */
export function parseCommandArgs(command: CliCommand, argv: string[], env: NodeJS.ProcessEnv): ParsedArgs & { help: boolean } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split("\n")[0]);
  }
  const values = parsed.values as ParsedArgs["values"];
  const flag = typeof values["data-dir"] === "string" ? values["data-dir"] : undefined;
  return { values, positionals: parsed.positionals, dataDir: resolveDataDir({ flag, env }), help: values.help === true };
}

/** Reads an integer option within bounds. */
export function intOption(values: ParsedArgs["values"], name: string, fallback: number, min: number, max: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== "string" || !/^-?\d+$/.test(raw)) throw new UsageError(`--${name} must be an integer`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}`);
  return n;
}

/** The `--timeframe` option, one of {@link TIMEFRAMES}. */
export function timeframeOption(values: ParsedArgs["values"]): Timeframe | undefined {
  const tf = values.timeframe;
  if (tf === undefined) return undefined;
  if (typeof tf !== "string" || !Object.hasOwn(TIMEFRAMES, tf)) throw new UsageError(`--timeframe must be one of ${Object.keys(TIMEFRAMES).join(", ")}`);
  return tf as Timeframe;
}

/** The --help text of a command (its summary comes from the command registry). */
export function commandHelp(command: CliCommand, summary: string): string {
  const lines = [`Usage: workstation ${command.name} ${command.usage}`.trimEnd(), "", summary, "", "Options:"];
  for (const line of command.help) lines.push(`  ${line}`);
  lines.push("  --data-dir DIR     data directory (default: $WORKSTATION_DATA_DIR, then the OS app-data folder)");
  lines.push("  -h, --help         show this help");
  return lines.join("\n");
}
