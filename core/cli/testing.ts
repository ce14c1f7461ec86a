/** Test support: runs the CLI in this process and keeps what it printed, line by line. */
import { runCli } from "./main.ts";

/** A CLI run: its exit code and the lines it wrote to stdout and stderr. */
export interface CliRun {
  code: number;
  out: string[];
  err: string[];
}

/** Runs `workstation ARGV` in process with `env` as its environment, capturing its output. */
export async function runCliCaptured(argv: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line), env });
  return { code, out, err };
}
