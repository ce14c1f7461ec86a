/** Saves a backtest or sweep run from the CLI into the data directory's app database. */
import { openAppDb } from "../store/app-db.ts";
import type { BacktestRunRecord, SweepRunRecord } from "../strategy/runs.ts";
import { sqliteRunRepository } from "../strategy/runs-sqlite.ts";
import type { CliIo } from "./command.ts";

/** Saves the run; a failure to save is a warning on stderr, never a failed command. */
export function saveRunFromCli(dataDir: string, record: BacktestRunRecord | SweepRunRecord, io: CliIo): void {
  try {
    const app = openAppDb(dataDir);
    try {
      sqliteRunRepository(app.db).save(record);
    } finally {
      app.close();
    }
  } catch (err) {
    io.err(`warning: the ${record.kind === "sweep" ? "sweep" : "run"} was not saved: ${(err as Error).message}`);
  }
}
