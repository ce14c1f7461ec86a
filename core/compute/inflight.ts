/**
 * Runs core sends through the queue, recorded durably while they are in flight
 * (`DATA_DIR/compute/inflight/KEY.json`: the API method and its params, which name the strategy
 * source, the data and the settings — no secret). A core that dies mid-run finds them at start-up
 * and starts them again: their jobs' deterministic ids re-attach them to the flow in Redis, so the
 * finished jobs are reused and the running ones are not duplicated. The same request recorded twice
 * is one record.
 */
import fs from "node:fs";
import path from "node:path";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../platform/private-files.ts";
import { sha256 } from "./content.ts";

/** The API methods whose runs may go through the queue. */
export type QueuedMethod = "strategy.sweep" | "robustness.walkforward" | "screen.run";

/** One recorded run. */
export interface InflightRun {
  key: string;
  method: QueuedMethod;
  params: unknown;
  startedAt: number;
}

/** The in-flight records of one data directory. */
export class InflightRuns {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, "compute", "inflight");
  }

  /** Records a run; `done()` removes the record. */
  track(method: QueuedMethod, params: unknown): { key: string; done(): void } {
    const key = sha256(JSON.stringify([method, params])).slice(0, 32);
    const file = path.join(this.dir, `${key}.json`);
    fs.mkdirSync(this.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const run: InflightRun = { key, method, params, startedAt: Date.now() };
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(run), { mode: PRIVATE_FILE_MODE });
    fs.renameSync(`${file}.tmp`, file);
    return { key, done: () => this.remove(key) };
  }

  /** Removes a record (no error when it is gone). */
  remove(key: string): void {
    fs.rmSync(path.join(this.dir, `${key}.json`), { force: true });
  }

  /** The recorded runs (unreadable records are removed). */
  list(): InflightRun[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir).filter((n) => n.endsWith(".json"));
    } catch {
      return [];
    }
    return names.flatMap((name) => {
      const file = path.join(this.dir, name);
      try {
        const run = JSON.parse(fs.readFileSync(file, "utf8")) as InflightRun;
        if (typeof run.key === "string" && typeof run.method === "string") return [run];
      } catch {
        // Unreadable: dropped below.
      }
      fs.rmSync(file, { force: true });
      return [];
    });
  }
}
