/**
 * `workstation strategies save FILE.ts --name NAME | list [--json] | show NAME | versions NAME [--json]`:
 * the saved-strategy library the editor uses (core/strategy/library.ts). Saving to an existing
 * name adds a version when the source changed; `show` prints only the latest version's source;
 * `versions` marks forks (concurrent versions from two devices, both kept).
 */
import fs from "node:fs";
import { checkSourceLimits } from "../strategy/source-limits.ts";
import { listStrategies, loadStrategy, saveStrategyVersion, strategyVersions } from "../strategy/library.ts";
import { openAppDb } from "../store/app-db.ts";
import { requiredString } from "../store/access.ts";
import { UsageError, type CliCommand, type CliIo, type ParsedArgs } from "./command.ts";

function save(db: Parameters<typeof saveStrategyVersion>[0], args: ParsedArgs, io: CliIo): void {
  const file = args.positionals[1];
  if (!file || !file.endsWith(".ts")) throw new UsageError("give a .ts file: workstation strategies save FILE.ts --name NAME");
  const name = requiredString(args.values, "name").trim();
  if (name.length > 200) throw new UsageError("--name must be at most 200 characters");
  let source: string;
  try {
    source = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  const problem = checkSourceLimits(source, file);
  if (problem) throw new Error(problem.message);
  const saved = saveStrategyVersion(db, name, source, null);
  io.out(`${name} v${saved.version}`);
}

function versions(db: Parameters<typeof saveStrategyVersion>[0], name: string, json: boolean, io: CliIo): void {
  const list = strategyVersions(db, name);
  if (!list) throw new Error(`no saved strategy named ${JSON.stringify(name)}`);
  if (json) return io.out(JSON.stringify(list));
  for (const v of list) {
    io.out(`v${v.version}  ${new Date(v.createdAt).toISOString()}  ${v.hash?.slice(0, 12) ?? "-"}  parent ${v.parent?.slice(0, 12) ?? "-"}${v.fork ? "  fork" : ""}`);
  }
}

/** The strategies command. */
export const strategiesCommand: CliCommand = {
  name: "strategies",
  usage: "save FILE.ts --name NAME | list [--json] | show NAME | versions NAME [--json]",
  help: ["--name NAME        the strategy to save to (a new version when it exists)", "--json             list and versions as JSON"],
  options: { name: { type: "string" }, json: { type: "boolean" } },
  allowPositionals: true,
  async run(args, io) {
    const [sub, arg] = args.positionals;
    const json = args.values.json === true;
    const app = openAppDb(args.dataDir);
    try {
      if (sub === "save") save(app.db, args, io);
      else if (sub === "list") {
        const list = listStrategies(app.db);
        if (json) io.out(JSON.stringify(list));
        else for (const s of list) io.out(`${s.name}  ${s.versions} version${s.versions === 1 ? "" : "s"}`);
      } else if (sub === "show" || sub === "versions") {
        if (!arg) throw new UsageError(`give a name: workstation strategies ${sub} NAME`);
        if (sub === "versions") versions(app.db, arg, json, io);
        else {
          const s = loadStrategy(app.db, arg);
          if (!s) throw new Error(`no saved strategy named ${JSON.stringify(arg)}`);
          io.out(s.source.replace(/\n$/, ""));
        }
      } else throw new UsageError("give a subcommand: save, list, show or versions");
    } finally {
      app.close();
    }
    return 0;
  },
};
