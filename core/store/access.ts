/**
 * How CLI commands reach the store: through the running core's API when a live lock exists on
 * the data directory (core owns the DuckDB file), else by opening the store directly for the
 * duration of the command. Also the small parsing and progress helpers the store commands share.
 */
import { parseUtcTime } from "../../common/time.ts";
import { escapeControls } from "../../common/text/escape.ts";
import type { ApiClient } from "../../common/api/client.ts";
import type { Progress } from "../../common/api/index.ts";
import { UsageError } from "../cli/command.ts";
import { withCore } from "../cli/core-client.ts";
import { Store } from "./index.ts";

/** Runs `viaCore` against a running core, or `direct` on a store opened for this command. */
export async function viaCoreOrStore<T>(
  dataDir: string,
  opts: { readOnly?: boolean },
  viaCore: (client: ApiClient) => Promise<T>,
  direct: (store: Store) => Promise<T>,
): Promise<T> {
  const answered = await withCore(dataDir, viaCore);
  if (answered) return answered.value;
  const store = new Store(dataDir, opts);
  try {
    return await direct(store);
  } finally {
    await store.close();
  }
}

/** Parses --from/--to: epoch ms digits, or an ISO date/time (UTC unless it carries an offset). */
export function parseTime(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (/^-?\d{9,}$/.test(raw)) return Number(raw);
  const ms = parseUtcTime(raw);
  if (ms === null) throw new UsageError(`--${name} must be an ISO date (2024-01-31, 2024-01-31T12:00:00Z) or epoch ms`);
  return ms;
}

/** A string option, required. */
export function requiredString(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== "string" || v.trim() === "") throw new UsageError(`--${name} is required`);
  return v;
}

/** An optional string option. */
export function optionalString(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

/** A progress reporter on stderr: a redrawn bar on a terminal, nothing otherwise. */
export function stderrProgress(): { update(p: Progress): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let drawn = false;
  return {
    update: (p) => {
      if (!tty) return;
      const frac = p.total ? Math.min(1, p.done / p.total) : 0;
      const width = 30;
      const filled = Math.round(frac * width);
      const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${escapeControls(p.message ?? "")}`;
      process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 100) - 1).padEnd(Math.min(99, (process.stderr.columns ?? 100) - 1))}`);
      drawn = true;
    },
    done: () => {
      if (drawn) process.stderr.write("\n");
      drawn = false;
    },
  };
}
