/**
 * A command that has printed its whole answer but leaves work behind that cannot be stopped (a
 * DuckDB call that does not check its interrupt) asks the CLI process to end once `runCli`
 * returns; only the real entry point (`main.ts`) honours it, so tests that call `runCli` never exit.
 */
let requested = false;

/** Asks the CLI process to exit as soon as the command's output is written. */
export function requestExitAfterOutput(): void {
  requested = true;
}

/** Whether a command asked for {@link requestExitAfterOutput}. */
export function exitAfterOutputRequested(): boolean {
  return requested;
}
