/** `workstation sync [--json]`: one end-to-end encrypted sync round with the cloud account, on or off. */
import { CloudSession } from "../cloud/session.ts";
import { syncOnce } from "../cloud/sync.ts";
import { withCloud } from "./account.ts";
import type { CliCommand } from "./command.ts";

/** The sync command. */
export const syncCommand: CliCommand = {
  name: "sync",
  usage: "[--json]",
  help: ['--json             print {"pushed","pulled","conflicts"}'],
  options: { json: { type: "boolean" } },
  async run(args, io) {
    const result = await withCloud(args.dataDir, io, async (deps) => syncOnce(deps.db, await CloudSession.open(deps)));
    io.out(args.values.json === true ? JSON.stringify(result) : `pushed ${result.pushed}, pulled ${result.pulled}, conflicts ${result.conflicts}`);
    return 0;
  },
};
