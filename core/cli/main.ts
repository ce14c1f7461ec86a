/**
 * The `workstation` CLI. Subcommands register in `commands.ts`; this file only routes argv, prints
 * help and version, and turns failures into one line on stderr with a non-zero exit code. Every
 * line a command writes has its control characters escaped (common/text/escape.ts): text from
 * strategies, files and the network cannot drive the terminal; JSON output stays valid JSON.
 */
import { escapeControls } from "../../common/text/escape.ts";
import { commands } from "./commands.ts";
import { UsageError, commandHelp, parseCommandArgs, type CliIo } from "./command.ts";
import { VERSION } from "../version.ts";
import { restrictFileModes } from "../platform/private-files.ts";
import { exitAfterOutputRequested } from "./early-exit.ts";

function topLevelHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  const lines = ["Usage: workstation <command> [options]", "", "Commands:"];
  for (const c of commands) lines.push(`  ${c.name.padEnd(width)}${c.summary}`);
  lines.push("", "Options:", "  --version          print the version", "  -h, --help         show help (also after any command)");
  return lines.join("\n");
}

/** `io` with every written line's control characters escaped; line breaks of multi-line output stay. */
export function escapingIo(io: CliIo): CliIo {
  const safe = (line: string): string => escapeControls(line, { keepNewlines: true });
  return { out: (line) => io.out(safe(line)), err: (line) => io.err(safe(line)), env: io.env };
}

/** Runs the CLI with argv (without node and script); resolves with the exit code. */
export async function runCli(argv: string[], rawIo: CliIo): Promise<number> {
  const io = escapingIo(rawIo);
  // Everything a command writes into a data directory is owner-only, whatever the folder's mode.
  restrictFileModes();
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    io.out(topLevelHelp());
    return first === undefined ? 2 : 0;
  }
  if (first === "--version" || first === "-v") {
    io.out(VERSION);
    return 0;
  }
  const entry = commands.find((c) => c.name === first);
  if (!entry) {
    io.err(`workstation: unknown command "${escapeControls(first)}" (see workstation --help)`);
    return 2;
  }
  const command = await entry.load();
  try {
    const args = parseCommandArgs(command, rest, io.env);
    if (args.help) {
      io.out(commandHelp(command, entry.summary));
      return 0;
    }
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`workstation ${command.name}: ${escapeControls(err.message)}`);
      return 2;
    }
    // One line: a message carrying text from outside cannot add lines of its own.
    io.err(`workstation ${command.name}: ${escapeControls(err instanceof Error ? err.message : String(err))}`);
    return 1;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  // A reader that closes early (`workstation replay … | head`) is not an error: stop quietly.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  };
  const argv = process.argv.slice(2);
  // A local backtest's worker starts while this process loads the command (see early-pool.ts).
  const early = argv[0] === "backtest" && !argv.includes("--help") && !argv.includes("-h") ? await import("./early-pool.ts") : null;
  if (early?.earlyPoolWanted(argv)) early.startEarlyPool();
  try {
    process.exitCode = await runCli(argv, io);
  } finally {
    await early?.discardEarlyPool();
  }
  if (exitAfterOutputRequested()) process.exit();
}
