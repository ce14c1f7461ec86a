/** `workstation serve`: runs core and serves the UI in browser mode until SIGINT/SIGTERM. */
import { spawn } from "node:child_process";
import { startCore } from "../app.ts";
import { createLogger } from "../log.ts";
import { intOption, type CliCommand } from "./command.ts";

const TOKEN_PATTERN = /^[0-9a-f]{64}$/;

function openInBrowser(url: string): void {
  const opener = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const child = spawn(opener, [url], { stdio: "ignore", detached: true });
  child.on("error", () => process.stderr.write(`could not open a browser (${opener}); open the URL above by hand\n`));
  child.unref();
}

/** Waits for SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
}

/** The serve command. */
export const serveCommand: CliCommand = {
  name: "serve",
  usage: "[--port N] [--open]",
  help: [
    "--port N           port to listen on, 0 = any free port (default 0)",
    "--open             open the URL in the default browser",
    "--workers N        strategy worker processes (default: one per core)",
  ],
  options: { port: { type: "string" }, open: { type: "boolean" }, workers: { type: "string" } },
  async run(args, io) {
    const port = intOption(args.values, "port", 0, 0, 65535);
    const workers = intOption(args.values, "workers", 0, 0, 64);
    const token = io.env.WORKSTATION_TOKEN;
    if (token !== undefined && !TOKEN_PATTERN.test(token)) throw new Error("WORKSTATION_TOKEN must be 64 lowercase hex characters");
    const log = createLogger({ dataDir: args.dataDir });
    const core = await startCore({
      dataDir: args.dataDir,
      log,
      port,
      ...(token ? { token } : {}),
      ...(io.env.WORKSTATION_SESSION_ID ? { sessionId: io.env.WORKSTATION_SESSION_ID } : {}),
      ...(workers > 0 ? { workerCount: workers } : {}),
    });
    io.out(core.url);
    if (args.values.open === true) openInBrowser(core.url);
    const signal = await untilSignal();
    log.info({ signal }, "shutting down");
    await core.stop();
    return 0;
  },
};
