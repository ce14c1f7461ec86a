/**
 * `workstation universe add|list|show|remove`: named lists of (venue, symbol) for the screener,
 * kept in the app database. `add NAME` takes its members from the store (`--from-store [--venue
 * V]`), a venue's instrument list (`--from-venue VENUE [--quote USDT]`; the live list when a core
 * runs, else the list core cached), the watchlist (`--from-watchlist`) or by hand (`--symbols
 * LIST`); `--min-volume N` keeps symbols with at least N of quote volume over their last 24 h of
 * stored bars. Through the running core when there is one, in process otherwise.
 */
import type { ParamsIn } from "../../common/api/index.ts";
import { universeAddParams, universeSyntheticParams, type UniverseDetail, type UniverseSummary } from "../../common/api/screener.ts";
import { escapeControls } from "../../common/text/escape.ts";
import { optionalString, viaCoreOrStore } from "../store/access.ts";
import { addUniverse, cachedInstruments, listUniverses, removeUniverse, showUniverse } from "../screener/universes.ts";
import { numberOption } from "../strategy/cli-options.ts";
import { syntheticUniverse } from "../screener/synthetic.ts";
import { UsageError, intOption, timeframeOption, type CliCommand, type CliIo, type ParsedArgs } from "./command.ts";

const ACTIONS = ["add", "list", "show", "remove", "synth"] as const;

function addRequest(name: string, v: ParsedArgs["values"]): ParamsIn<"universe.add"> {
  const sources = (["from-store", "from-venue", "from-watchlist", "symbols"] as const).filter((k) => v[k] !== undefined && v[k] !== false);
  if (sources.length !== 1) throw new UsageError("give exactly one of --from-store, --from-venue VENUE, --from-watchlist, --symbols LIST");
  const source = sources[0]!;
  const venue = source === "from-venue" ? optionalString(v, "from-venue") : optionalString(v, "venue");
  const quote = optionalString(v, "quote");
  const req: ParamsIn<"universe.add"> = {
    name,
    from: source === "from-store" ? "store" : source === "from-venue" ? "venue" : source === "from-watchlist" ? "watchlist" : "list",
    replace: v.replace === true,
    ...(venue ? { venue } : {}),
    ...(quote ? { quote } : {}),
    ...(source === "symbols" ? { list: optionalString(v, "symbols") ?? "" } : {}),
  };
  if (v["min-volume"] !== undefined) req.minVolume = numberOption(v, "min-volume", 0, 0, 1e18);
  const checked = universeAddParams.safeParse(req);
  if (!checked.success) throw new UsageError(checked.error.issues[0]?.message ?? "bad universe request");
  return req;
}

function synthRequest(name: string | undefined, v: ParsedArgs["values"]): ParamsIn<"universe.synthetic"> {
  const req: ParamsIn<"universe.synthetic"> = {
    symbols: intOption(v, "symbols", 100, 1, 100_000),
    bars: intOption(v, "bars", 1000, 1, 10_000_000),
    timeframe: timeframeOption(v) ?? "1h",
    seed: intOption(v, "seed", 1, 0, 2 ** 32 - 1),
    ...(name ? { name } : {}),
    ...(optionalString(v, "venue") ? { venue: optionalString(v, "venue")! } : {}),
  };
  const checked = universeSyntheticParams.safeParse(req);
  if (!checked.success) throw new UsageError(checked.error.issues[0]?.message ?? "bad synth request");
  return req;
}

function printDetail(u: UniverseDetail, json: boolean, io: CliIo): void {
  if (json) return io.out(JSON.stringify(u));
  io.out(escapeControls(`${u.name}  (${u.members} symbols; ${u.source})`));
  for (const m of u.list) io.out(escapeControls(`${m.venue}:${m.symbol}`));
}

function printList(list: UniverseSummary[], json: boolean, io: CliIo): void {
  if (json) return io.out(JSON.stringify(list));
  for (const u of list) io.out(escapeControls(`${u.name.padEnd(20)} ${String(u.members).padStart(6)} symbols  ${u.source}`));
}

/** The universe command. */
export const universeCommand: CliCommand = {
  name: "universe",
  usage: "synth [NAME] [--symbols N --bars M] | add NAME (--from-store [--venue V] | --from-venue VENUE [--quote Q] | --from-watchlist | --symbols LIST) [--min-volume N] [--replace] | list | show NAME | remove NAME [--json]",
  help: [
    "add NAME            save a universe; its members come from one of:",
    "  --from-store [--venue V]        every symbol the store has data for (optionally one venue)",
    "  --from-venue VENUE [--quote Q]  a venue's trading instruments, optionally only those quoted in Q (e.g. USDT)",
    "  --from-watchlist                the watchlist",
    "  --symbols LIST                  by hand: VENUE:SYMBOL,... (e.g. binance:BTC/USDT,local:ORCL)",
    "--min-volume N      keep symbols with at least N quote volume over their last 24 h of stored bars",
    "--replace           overwrite a universe of that name",
    "list                the saved universes; show NAME: its members; remove NAME: delete it",
    "synth [NAME]        write a seeded synthetic universe to the store and save it (default name: synthetic)",
    "  --symbols N --bars M [--timeframe TF] [--seed S] [--venue V]   (defaults 100, 1000, 1h, 1, synthetic)",
    "--json              machine-readable output",
  ],
  options: {
    "from-store": { type: "boolean" },
    "from-venue": { type: "string" },
    "from-watchlist": { type: "boolean" },
    symbols: { type: "string" },
    venue: { type: "string" },
    quote: { type: "string" },
    "min-volume": { type: "string" },
    replace: { type: "boolean" },
    bars: { type: "string" },
    timeframe: { type: "string" },
    seed: { type: "string" },
    json: { type: "boolean" },
  },
  allowPositionals: true,
  async run(args, io) {
    const [action, name, ...extra] = args.positionals;
    if (!action || !(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`give an action: ${ACTIONS.join(", ")}`);
    if (extra.length > 0 || (action !== "list" && action !== "synth" && !name) || (action === "list" && name)) throw new UsageError(action === "list" ? "universe list takes no name" : `universe ${action} takes one NAME`);
    const json = args.values.json === true;
    if (action === "list") {
      printList(await viaCoreOrStore(args.dataDir, { readOnly: true }, (c) => c.call("universe.list", {}), async (s) => listUniverses(s.app().db)), json, io);
    } else if (action === "show") {
      printDetail(await viaCoreOrStore(args.dataDir, { readOnly: true }, (c) => c.call("universe.show", { name: name! }), async (s) => showUniverse(s.app().db, name!)), json, io);
    } else if (action === "remove") {
      const { removed } = await viaCoreOrStore(args.dataDir, { readOnly: true }, (c) => c.call("universe.remove", { name: name! }), async (s) => ({ removed: removeUniverse(s.app().db, name!) }));
      if (!removed) throw new Error(`no universe named "${name}"`);
      io.err(`removed universe ${name}`);
    } else if (action === "synth") {
      const req = synthRequest(name, args.values);
      const made = await viaCoreOrStore(args.dataDir, {}, (c) => c.call("universe.synthetic", req), (s) => syntheticUniverse(s, universeSyntheticParams.parse(req)));
      if (json) io.out(JSON.stringify(made));
      else io.out(escapeControls(`saved universe ${made.name}: ${made.members} symbols (${made.source})`));
    } else {
      const req = addRequest(name!, args.values);
      const added = await viaCoreOrStore(
        args.dataDir,
        { readOnly: true },
        (c) => c.call("universe.add", req),
        (s) => addUniverse(universeAddParams.parse(req), { app: s.app().db, market: () => s.market(), instruments: async (venue) => cachedInstruments(s.app().db, venue) }),
      );
      if (json) io.out(JSON.stringify(added));
      else io.out(escapeControls(`saved universe ${added.name}: ${added.members} symbols (${added.source})`));
    }
    return 0;
  },
};
