/** Every `workstation` subcommand, in the order `--help` lists them. Features add theirs here. */
import type { CliCommand } from "./command.ts";
import { desktopCommand } from "./desktop.ts";
import { replayCommand } from "./replay.ts";
import { serveCommand } from "./serve.ts";

/** The registered subcommands. */
export const commands: CliCommand[] = [serveCommand, desktopCommand, replayCommand];
