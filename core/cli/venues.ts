/**
 * `workstation venues [--json]` lists every venue and variant (built-in endpoints with feeds.json /
 * `WORKSTATION_FEEDS` overrides and the trader's on/off switches); with a running core each row
 * also carries its live state. `workstation venues enable|disable VENUE [--variant us|data]`
 * switches one through the running core (it connects or closes at once), else in the settings.
 */
import type { VenueView } from "../../common/api/market.ts";
import { loadFeedsConfig } from "../feeds/config.ts";
import { resolveVenues } from "../feeds/venue-list.ts";
import { UiState } from "../services/ui-state.ts";
import { saveSwitch, switchId } from "../services/venue-switch.ts";
import { openAppDb } from "../store/app-db.ts";
import { UsageError, type CliCommand, type CliIo } from "./command.ts";
import { withCore } from "./core-client.ts";

/** One row of `workstation venues --json` (the documented contract). */
export interface VenueRow {
  venue: VenueView["venue"];
  variant: VenueView["variant"];
  name: string;
  ws: string | null;
  rest: string | null;
  enabled: boolean;
  source: VenueView["source"];
  /** The live state when a core runs, else null. */
  state: VenueView["state"] | null;
}

const toRow = (v: VenueView): VenueRow => ({ venue: v.venue, variant: v.variant, name: v.name, ws: v.ws, rest: v.rest, enabled: v.enabled, source: v.source, state: v.state });

/** The rows without a core: configuration and saved switches only. */
function offlineRows(dataDir: string, io: CliIo): VenueRow[] {
  const config = loadFeedsConfig(dataDir, io.env, (line) => io.err(line));
  const app = openAppDb(dataDir);
  try {
    const switches = new UiState(() => app).settings().venues;
    const sim = switches.find((s) => s.id === "simulated");
    const simulated: VenueRow = { venue: "simulated", variant: null, name: "Simulated", ws: null, rest: null, enabled: sim?.enabled ?? config.simulated, source: "built-in", state: null };
    return [simulated, ...resolveVenues(config, switches).map((v) => ({ venue: v.venue, variant: v.variant, name: v.name, ws: v.ws, rest: v.rest, enabled: v.enabled, source: v.source, state: null }))];
  } finally {
    app.close();
  }
}

/** Aligned text lines of the rows. */
export function formatVenues(rows: readonly VenueRow[]): string[] {
  const cells = [
    ["VENUE", "VARIANT", "NAME", "ENABLED", "SOURCE", "STATE", "WS", "REST"],
    ...rows.map((r) => [r.venue, r.variant ?? "-", r.name, r.enabled ? "yes" : "no", r.source, r.state ?? "-", r.ws ?? "-", r.rest ?? "-"]),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  return cells.map((c) => c.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
}

function variantOption(raw: unknown): string | null {
  if (raw === undefined) return null;
  if (raw !== "us" && raw !== "data") throw new UsageError("--variant must be us or data");
  return raw;
}

async function switchVenue(dataDir: string, venue: string, variant: string | null, enabled: boolean, io: CliIo): Promise<VenueRow[]> {
  let id: string;
  try {
    id = switchId(venue, variant);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const live = await withCore(dataDir, (c) => c.call("market.venues.set", { venue: venue as VenueView["venue"], variant: variant as VenueView["variant"], enabled }));
  if (live) return live.value.map(toRow);
  const app = openAppDb(dataDir);
  try {
    saveSwitch(new UiState(() => app), id, enabled);
  } finally {
    app.close();
  }
  io.err(`no core is running; ${id} is ${enabled ? "enabled" : "disabled"} from its next start`);
  return offlineRows(dataDir, io);
}

/** The venues command. */
export const venuesCommand: CliCommand = {
  name: "venues",
  usage: "[--json] | enable|disable VENUE [--variant us|data]",
  help: [
    "--json             print an array: venue, variant, name, ws, rest, enabled, source, state (null without a core)",
    "--variant V        with enable/disable: us (Binance.US) or data (Binance market-data hosts)",
  ],
  options: { json: { type: "boolean" }, variant: { type: "string" } },
  allowPositionals: true,
  async run(args, io) {
    const [sub, venue, ...extra] = args.positionals;
    let rows: VenueRow[];
    if (sub === undefined) {
      if (args.values.variant !== undefined) throw new UsageError("--variant goes with enable or disable");
      rows = (await withCore(args.dataDir, (c) => c.call("market.venues", {})))?.value.map(toRow) ?? offlineRows(args.dataDir, io);
    } else if (sub === "enable" || sub === "disable") {
      if (!venue || extra.length > 0) throw new UsageError(`give one venue, e.g. workstation venues ${sub} kraken`);
      rows = await switchVenue(args.dataDir, venue, variantOption(args.values.variant), sub === "enable", io);
    } else throw new UsageError(`unknown subcommand "${sub}" (use enable or disable, or no subcommand to list)`);
    if (args.values.json === true) io.out(JSON.stringify(rows));
    else for (const line of formatVenues(rows)) io.out(line);
    return 0;
  },
};
