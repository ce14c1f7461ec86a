/**
 * The password of a cloud account, for the CLI: `WORKSTATION_PASSWORD` (and
 * `WORKSTATION_NEW_PASSWORD` for a change) when set, else a prompt on the terminal with the input
 * hidden. Never an argument; with neither a variable nor a terminal it fails with a clear message.
 */
import readline from "node:readline";
import { Writable } from "node:stream";

/** Reads a line from the terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let muted = false;
    const output = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        if (!muted) process.stderr.write(chunk);
        done();
      },
    });
    const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
    rl.question(prompt, (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    });
    muted = true;
    rl.once("SIGINT", () => {
      rl.close();
      reject(new Error("cancelled"));
    });
  });
}

/** A password source reading `variable` from `env`, else prompting when stdin is a terminal. */
export function passwordSource(env: NodeJS.ProcessEnv, variable = "WORKSTATION_PASSWORD"): (prompt: string) => Promise<string> {
  return async (prompt) => {
    const fromEnv = env[variable];
    if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
    if (!process.stdin.isTTY) throw new Error(`no password: set ${variable} or run in a terminal`);
    return promptHidden(prompt);
  };
}
