/** Every `workstation` subcommand, in the order `--help` lists them. Features add theirs here. */
import { askCommand } from "./ask.ts";
import { backtestCommand } from "./backtest.ts";
import type { CliCommand } from "./command.ts";
import { dataCommand } from "./data.ts";
import { desktopCommand } from "./desktop.ts";
import { exportCommand } from "./export.ts";
import { importCommand } from "./import.ts";
import { queryCommand } from "./query.ts";
import { recordCommand } from "./record.ts";
import { replayCommand } from "./replay.ts";
import { serveCommand } from "./serve.ts";
import { simulateCommand } from "./simulate.ts";
import { sweepCommand } from "./sweep.ts";

/** The registered subcommands. */
export const commands: CliCommand[] = [serveCommand, desktopCommand, replayCommand, recordCommand, simulateCommand, importCommand, exportCommand, queryCommand, dataCommand, backtestCommand, sweepCommand, askCommand];
