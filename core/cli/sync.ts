/**
 * `workstation sync [--json]`: one end-to-end encrypted sync round with the cloud account, whether
 * background sync is on or off — through the running core when there is one (so two rounds never
 * overlap), else in process. Same output either way.
 */
import type { SyncResultView } from "../../common/api/cloud.ts";
import { ApiError } from "../../common/api/index.ts";
import { readAccount } from "../cloud/local-account.ts";
import { CloudSession } from "../cloud/session.ts";
import { syncOnce } from "../cloud/sync.ts";
import { openAppDb } from "../store/app-db.ts";
import { withCloud } from "./account.ts";
import type { CliCommand, CliIo } from "./command.ts";
import { connectToRunningCore } from "./core-client.ts";
import { passwordSource } from "./password-input.ts";

async function viaCore(dataDir: string, io: CliIo): Promise<SyncResultView | null> {
  const client = await connectToRunningCore(dataDir);
  if (!client) return null;
  try {
    const app = openAppDb(dataDir);
    const needsPassword = (() => {
      try {
        const a = readAccount(app.db);
        return a !== null && !a.keychain;
      } finally {
        app.close();
      }
    })();
    const password = needsPassword ? await passwordSource(io.env)("Password: ") : undefined;
    return await client.call("cloud.sync", password === undefined ? {} : { password });
  } catch (err) {
    throw err instanceof ApiError ? new Error(err.message) : err;
  } finally {
    client.close();
  }
}

/** The sync command. */
export const syncCommand: CliCommand = {
  name: "sync",
  usage: "[--json]",
  help: ['--json             print {"pushed","pulled","conflicts"}'],
  options: { json: { type: "boolean" } },
  async run(args, io) {
    const result = (await viaCore(args.dataDir, io)) ?? (await withCloud(args.dataDir, io, async (deps) => syncOnce(deps.db, await CloudSession.open(deps), { warn: (line) => io.err(line) })));
    io.out(args.values.json === true ? JSON.stringify(result) : `pushed ${result.pushed}, pulled ${result.pulled}, conflicts ${result.conflicts}`);
    return 0;
  },
};
