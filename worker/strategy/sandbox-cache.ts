/**
 * Keeps the last sweep's sandbox warm between batches: a worker usually gets several batches of
 * the same sweep in a row, and a warm isolate (engine already compiled and optimized) runs a
 * combination several times faster than a fresh one. A sandbox is taken out while in use (two
 * batches never share one at the same time), put back afterwards, and disposed after a short
 * idle time or when a sandbox for another strategy replaces it.
 */
import { StrategySandbox, type SandboxSetup } from "./sandbox.ts";

/** How long an idle sandbox is kept. */
export const SANDBOX_IDLE_MS = 15_000;

type Entry = { key: string; sandbox: StrategySandbox; timer: ReturnType<typeof setTimeout> };

let idle: Entry | null = null;

/** What makes two setups interchangeable: the same compiled strategy under the same limits and seed. */
function keyOf(setup: SandboxSetup): string {
  return JSON.stringify([setup.code, setup.sourceMap, setup.filename, setup.limits, setup.seed]);
}

function drop(): void {
  if (idle === null) return;
  clearTimeout(idle.timer);
  idle.sandbox.dispose();
  idle = null;
}

/** A usable sandbox for `setup`: the idle one when it matches, a new one otherwise. */
export async function takeSandbox(setup: SandboxSetup, signal: AbortSignal): Promise<StrategySandbox> {
  const key = keyOf(setup);
  if (idle !== null && idle.key === key && idle.sandbox.usable) {
    const { sandbox } = idle;
    clearTimeout(idle.timer);
    idle = null;
    return sandbox;
  }
  return StrategySandbox.open(setup, signal);
}

/** Gives a sandbox back after use; it is kept (if still usable) until idle too long or replaced. */
export function returnSandbox(setup: SandboxSetup, sandbox: StrategySandbox): void {
  if (!sandbox.usable) return;
  drop();
  const timer = setTimeout(drop, SANDBOX_IDLE_MS);
  timer.unref();
  idle = { key: keyOf(setup), sandbox, timer };
}

/** Disposes the idle sandbox now (worker shutdown, tests). */
export function clearSandboxCache(): void {
  drop();
}
