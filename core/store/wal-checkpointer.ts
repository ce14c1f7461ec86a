/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit
 * pushes the write-ahead log past 1,000 pages: that commit copies the log into the database and
 * fsyncs both files before it returns — milliseconds to tens of milliseconds on a busy disk, on the
 * thread that must answer a trade. A {@link WalCheckpointer} runs `PRAGMA wal_checkpoint(PASSIVE)`
 * on a timer from its own connection in a worker thread instead. A passive checkpoint never blocks a
 * writer or a reader, so commits on the main thread only append to the log.
 *
 * The log starts over (and stops growing) only when a writer begins with every frame copied, which
 * a checkpoint on another thread cannot promise while commits keep coming. So the connection keeps
 * an automatic checkpoint as a backstop, at {@link BACKSTOP_PAGES} instead of 1,000: it bounds the
 * log, and when it runs it finds nearly everything already copied by the worker.
 * Durability is unchanged: a commit is in the log when it returns, as before, and every checkpoint
 * syncs as the connection's `synchronous` setting says. If the worker dies, the connection gets
 * SQLite's default automatic checkpoint back.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";

/** How often the worker checkpoints by default, ms (a round with nothing to copy costs nothing). */
export const CHECKPOINT_INTERVAL_MS = 200;

/** The connection's own automatic checkpoint threshold (pages) while the worker runs: the backstop. */
export const BACKSTOP_PAGES = 10_000;

/** SQLite's default automatic checkpoint threshold (pages), restored when the checkpointer stops. */
const SQLITE_AUTOCHECKPOINT = 1000;

/** The worker: CommonJS evaluated as a string, so it needs no file of its own in the desktop bundle. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("busy_timeout = 0");
db.pragma("synchronous = NORMAL");
let last = { log: -1, checkpointed: -1 };
const round = () => {
  try {
    const [r] = db.pragma("wal_checkpoint(PASSIVE)");
    // Only a round that found something new is reported (an idle database wakes no one).
    if (r.busy !== 1 && r.log === last.log && r.checkpointed === last.checkpointed) return;
    last = r;
    parentPort.postMessage({ round: { busy: r.busy === 1, log: r.log, checkpointed: r.checkpointed } });
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message ? err.message : err) });
  }
};
const timer = setInterval(round, workerData.intervalMs);
parentPort.on("message", (m) => {
  if (m !== "stop") return;
  clearInterval(timer);
  round();
  db.close();
  parentPort.close();
});
`;

/** The outcome of one checkpoint round: frames in the log, and how many of them are in the database now. */
export interface CheckpointRound {
  busy: boolean;
  log: number;
  checkpointed: number;
}

/** Options of a {@link WalCheckpointer}. */
export interface WalCheckpointerOptions {
  intervalMs?: number;
  /** A checkpoint round failed, or the worker died (the connection checkpoints itself again then). */
  onError?: (message: string) => void;
}

/** Checkpoints a WAL-mode database from a worker thread; see the file comment. */
export class WalCheckpointer {
  private readonly db: Database.Database;
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stopped = false;
  private waiting: ((round: CheckpointRound) => void)[] = [];

  /** Starts checkpointing `db` (a file database in WAL mode) off the event loop. */
  constructor(db: Database.Database, options: WalCheckpointerOptions = {}) {
    this.db = db;
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: db.name, intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS } });
    this.worker.unref();
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    this.worker.on("message", (m: { error?: string; round?: CheckpointRound }) => {
      if (m.error) options.onError?.(`WAL checkpoint failed: ${m.error}`);
      if (m.round) this.waiting.splice(0).forEach((resolve) => resolve(m.round!));
    });
    this.worker.on("error", (err) => options.onError?.(`WAL checkpointer died: ${err.message}`));
    this.exited = new Promise((resolve) => {
      this.worker.once("exit", () => {
        this.restore();
        resolve();
      });
    });
  }

  /** Whether `db` can be checkpointed this way: a file database in WAL mode. */
  static applies(db: Database.Database): boolean {
    return !db.memory && db.open && String(db.pragma("journal_mode", { simple: true })).toLowerCase() === "wal";
  }

  /** The outcome of the next round that found something new (tests). */
  nextRound(): Promise<CheckpointRound> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Runs a last checkpoint, stops the worker and gives the connection its automatic checkpoint back. */
  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.worker.postMessage("stop");
    }
    await this.exited;
  }

  private restore(): void {
    this.stopped = true;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT}`);
  }
}
