/**
 * Structured logging (pino) to stderr and to `<dataDir>/logs/core.log`. stdout is reserved for
 * command output, so nothing here ever writes to it.
 */
import fs from "node:fs";
import path from "node:path";
import pino from "pino";
import { PRIVATE_FILE_MODE, makePrivate } from "./platform/private-files.ts";

/** The logger type used across core. */
export type Logger = pino.Logger;

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** When set, logs also go to `<dataDir>/logs/core.log`. */
  dataDir?: string;
  level?: pino.LevelWithSilent;
  /** Skip the stderr copy (e.g. tests that only want the file). */
  quiet?: boolean;
}

/** Creates the process logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? (process.env.WORKSTATION_LOG_LEVEL as pino.LevelWithSilent | undefined) ?? "info";
  const streamLevel: pino.Level = level === "silent" ? "fatal" : level;
  const streams: pino.StreamEntry[] = [];
  if (!options.quiet) streams.push({ level: streamLevel, stream: pino.destination({ fd: 2, sync: true }) });
  if (options.dataDir) {
    const dir = path.join(options.dataDir, "logs");
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, "core.log");
    makePrivate(file);
    streams.push({ level: streamLevel, stream: pino.destination({ dest: file, sync: true, mkdir: true, mode: PRIVATE_FILE_MODE }) });
  }
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.epochTime }, pino.multistream(streams));
}

/** A logger that discards everything, for tests. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
