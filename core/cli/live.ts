/**
 * `workstation live STRATEGY.ts --venue V --env live|testnet|demo|validate --symbol S --timeframe TF
 * [--params JSON] [--approve] [--json]`: the approval gate and pre-flight of a live deployment. An
 * environment the venue lacks is refused naming the ones it has. The first deployment of a strategy
 * version (source + params, venue, environment, symbol, timeframe) prints a summary with the risk
 * limits and the diff against the last approved version and exits 3 until run with `--approve`.
 * Approved, it takes the key from the OS keychain, checks the clock against the venue's, loads
 * the venue's filters and reconciles the account (open orders, external orders, balances).
 */
import fs from "node:fs";
import path from "node:path";
import { escapeControls } from "../../common/text/escape.ts";
import { openAppDb } from "../store/app-db.ts";
import { approvalSummary, approve, isApproved, strategyVersion, type Deployment } from "../trading/live/approval.ts";
import { checkEnv, LIVE_ENVS } from "../trading/live/environments.ts";
import { openLiveBroker } from "../trading/live/open.ts";
import { DEFAULT_RISK_LIMITS } from "../trading/risk.ts";
import { SqliteTradingStore } from "../trading/store.ts";
import { timeframeOption, UsageError, type CliCommand, type ParsedArgs } from "./command.ts";

/** Exit code of a deployment that needs approval. */
export const NEEDS_APPROVAL = 3;

function parseParams(raw: unknown): Record<string, unknown> {
  if (raw === undefined) return {};
  try {
    const v = JSON.parse(String(raw)) as unknown;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UsageError("--params must be a JSON object");
}

function deployment(args: ParsedArgs): Deployment {
  const [file, ...extra] = args.positionals;
  if (!file || extra.length > 0) throw new UsageError("usage: workstation live STRATEGY.ts --venue V --env ENV --symbol S --timeframe TF");
  const { venue, env, symbol } = args.values;
  if (typeof venue !== "string" || typeof symbol !== "string" || typeof env !== "string") throw new UsageError(`--venue, --symbol and --env (${LIVE_ENVS.join("|")}) are required`);
  const timeframe = timeframeOption(args.values);
  if (!timeframe) throw new UsageError("--timeframe is required");
  try {
    checkEnv(venue, env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let source: string;
  try {
    source = fs.readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`${file}: cannot read the strategy file`);
  }
  return { strategy: path.resolve(file), source, params: parseParams(args.values.params), venue, env, account: `live:${venue}`, symbol: symbol.toUpperCase(), timeframe, limits: DEFAULT_RISK_LIMITS };
}

/** The live command. */
export const liveCommand: CliCommand = {
  name: "live",
  usage: "STRATEGY.ts --venue V --env live|testnet|demo|validate --symbol S --timeframe TF [--params JSON] [--approve] [--json]",
  help: [
    "--venue V          binance, kraken or coinbase",
    "--env ENV          live, testnet, demo (Binance) or validate (Kraken); others are refused",
    "--symbol S, --timeframe TF  what the strategy trades",
    "--params JSON      strategy parameters (part of the approved version)",
    "--approve          approve this version after reading the summary (needed on first deployment and after any change)",
    "--json             the pre-flight result as JSON",
  ],
  options: { venue: { type: "string" }, env: { type: "string" }, symbol: { type: "string" }, timeframe: { type: "string" }, params: { type: "string" }, approve: { type: "boolean" }, json: { type: "boolean" } },
  allowPositionals: true,
  async run(args, io) {
    const d = deployment(args);
    const app = openAppDb(args.dataDir);
    try {
      const store = new SqliteTradingStore(app.db);
      if (!isApproved(store, d)) {
        for (const line of approvalSummary(store, d)) io.out(escapeControls(line));
        if (args.values.approve !== true) {
          io.err("live: this deployment is not approved; read the summary above and run again with --approve");
          return NEEDS_APPROVAL;
        }
        approve(store, d, Date.now());
        io.err(`live: approved version ${strategyVersion(d.source, d.params)}`);
      }
      const broker = await openLiveBroker({ venue: d.venue, env: checkEnv(d.venue, d.env), store, limits: d.limits, symbols: [d.symbol], processEnv: io.env, log: (l) => io.err(l) });
      broker.stop();
      const open = broker.allOrders().filter((o) => o.status !== "filled" && o.status !== "canceled" && o.status !== "rejected" && o.status !== "expired");
      const preflight = { venue: d.venue, env: d.env, account: d.account, version: strategyVersion(d.source, d.params), openOrders: open.length, externalOrders: [...broker.external.keys()], balances: broker.balances };
      io.out(args.values.json === true ? JSON.stringify(preflight) : escapeControls(`pre-flight ok: ${d.account} (${d.env}) reconciled, ${open.length} open orders of ours, ${preflight.externalOrders.length} external`));
      io.err("live: running the strategy on the live order layer is not built yet (the runner drives the paper order layer only); nothing was sent");
      return 1;
    } finally {
      app.close();
    }
  },
};
