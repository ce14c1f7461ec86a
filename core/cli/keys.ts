/**
 * `workstation keys add|list|remove VENUE [--env live|testnet|demo|validate] [--json]`: venue API keys
 * in the OS keychain (core/secrets), never in the database, logs, the API or the renderer. `add`
 * reads the key from stdin — the API key on the first line (for Coinbase the CDP key name), the secret
 * on the rest (an HMAC secret, an Ed25519 private key in PEM, Kraken's base64 secret, a CDP EC key in
 * PEM or base64 Ed25519 secret) — never from an argument, checks it with the venue (trade-only:
 * a key with withdrawal or transfer rights is refused) and saves it. `list` shows the last four
 * characters of each key only.
 */
import { SecretStore } from "../secrets/keychain.ts";
import { checkEnv, endpointsOf, keyAccount, LIVE_ENVS, type LiveEnv } from "../trading/live/environments.ts";
import { checkVenueKey } from "../trading/live/key-check.ts";
import { UsageError, type CliCommand } from "./command.ts";

/** Reads all of stdin as text. */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("paste the API key on one line, then the secret; end with Ctrl-D\n");
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseKeyInput(text: string): { apiKey: string; apiSecret: string } {
  const lines = text.replace(/\r/g, "").split("\n");
  const apiKey = (lines.shift() ?? "").trim();
  const apiSecret = lines.join("\n").trim();
  if (!/^[A-Za-z0-9_\-+/=]{8,256}$/.test(apiKey)) throw new UsageError("stdin: the first line must be the API key (8-256 letters, digits, -_+/=)");
  if (apiSecret.length < 8) throw new UsageError("stdin: the secret must follow the API key on the next line(s)");
  return { apiKey, apiSecret };
}

/** The keys command. */
export const keysCommand: CliCommand = {
  name: "keys",
  usage: "add|list|remove [VENUE] [--env live|testnet|demo|validate] [--json]",
  help: [
    "add VENUE      read the API key (first line) and secret (rest) from stdin, check it is trade-only, save it in the OS keychain",
    "list           the saved keys (venue, environment, last 4 characters of the key)",
    "remove VENUE   delete the key of VENUE's environment",
    `--env ENV      ${LIVE_ENVS.join(", ")} (default live)`,
    "--json         machine-readable output",
  ],
  options: { env: { type: "string" }, json: { type: "boolean" } },
  allowPositionals: true,
  async run(args, io) {
    const [action, venue] = args.positionals;
    const json = args.values.json === true;
    const store = new SecretStore();
    if (action === "list") {
      const keys = await store.list();
      if (json) io.out(JSON.stringify(keys));
      else for (const k of keys) io.out(`${k.venue}  ${k.keyHint}  saved ${new Date(k.savedAt).toISOString()}`);
      return 0;
    }
    if ((action !== "add" && action !== "remove") || !venue) throw new UsageError("usage: workstation keys add|list|remove VENUE [--env ENV]");
    let env: LiveEnv;
    try {
      env = checkEnv(venue, typeof args.values.env === "string" ? args.values.env : "live");
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const account = keyAccount(venue, env);
    if (action === "remove") {
      const removed = await store.delete(account);
      io.out(json ? JSON.stringify({ venue: account, removed }) : removed ? `removed the ${account} key` : `no ${account} key was saved`);
      return removed ? 0 : 1;
    }
    const { apiKey, apiSecret } = parseKeyInput(await readStdin());
    const check = await checkVenueKey(venue, endpointsOf(venue, env, io.env), env, apiKey, apiSecret);
    if (!check.ok) {
      io.err(`keys: ${account} key refused: ${check.reason}`);
      return 1;
    }
    const saved = await store.save(account, { apiKey, apiSecret });
    io.out(json ? JSON.stringify({ ...saved, label: check.label }) : `saved the ${account} key ${saved.keyHint} (${check.label}) in the OS keychain`);
    return 0;
  },
};
