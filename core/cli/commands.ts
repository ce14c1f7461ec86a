/**
 * Every `workstation` subcommand, in the order `--help` lists them. Each command's module is
 * imported only when that command runs, so `--help`, `--version` and light commands start fast
 * (DuckDB, the TypeScript compiler and the AI SDK load only for the commands that use them).
 * Features add theirs here.
 */
import type { CliCommand } from "./command.ts";

/** A registered subcommand: its name and one-line summary, and how to load it. */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<CliCommand>;
}

/** The registered subcommands. */
export const commands: CommandEntry[] = [
  {
    name: "serve",
    summary: "Start core and serve the UI on 127.0.0.1; prints the URL (with its token) as the first line on stdout.",
    load: async () => (await import("./serve.ts")).serveCommand,
  },
  {
    name: "desktop",
    summary: "Open the desktop app (Electron). Needs Electron's binary; use `serve` where it cannot run.",
    load: async () => (await import("./desktop.ts")).desktopCommand,
  },
  {
    name: "replay",
    summary: "Replay a recorded venue session; prints the normalized market events as NDJSON.",
    load: async () => (await import("./replay.ts")).replayCommand,
  },
  {
    name: "record",
    summary: "Record a venue's raw market data (frames + REST answers) to a file that `replay` reads.",
    load: async () => (await import("./record.ts")).recordCommand,
  },
  {
    name: "simulate",
    summary: "Run a loopback exchange simulator speaking Kraken, Coinbase and Binance WebSocket + REST; prints its URLs as JSON.",
    load: async () => (await import("./simulate.ts")).simulateCommand,
  },
  {
    name: "live",
    summary: "Live trading: the approval gate and pre-flight (keys, clock, filters, reconciliation), then the strategy on the venue until Ctrl-C (--preflight: the checks alone).",
    load: async () => (await import("./live.ts")).liveCommand,
  },
  {
    name: "keys",
    summary: "Venue API keys in the OS keychain: add (from stdin, checked trade-only), list, remove.",
    load: async () => (await import("./keys.ts")).keysCommand,
  },
  {
    name: "worker",
    summary: "Run sweep, walk-forward and screen jobs from a Redis queue (scale-out) in sandboxed processes until stopped.",
    load: async () => (await import("./worker.ts")).workerCommand,
  },
  {
    name: "venues",
    summary: "List the venues (built-in endpoints, overrides, on/off, live state) or enable/disable one, live when a core runs.",
    load: async () => (await import("./venues.ts")).venuesCommand,
  },
  {
    name: "alerts",
    summary: "Alert rules: test them over a recording (NDJSON fires); add, list, remove and read the fire log through the running core.",
    load: async () => (await import("./alerts.ts")).alertsCommand,
  },
  {
    name: "import",
    summary: "Import CSV or Parquet files (OHLCV, Yahoo daily, Binance klines, trades) for a symbol; prints the result as JSON.",
    load: async () => (await import("./import.ts")).importCommand,
  },
  {
    name: "export",
    summary: "Export a symbol's bars or trades as Parquet partitioned venue=/symbol=/date=; prints the result as JSON.",
    load: async () => (await import("./export.ts")).exportCommand,
  },
  {
    name: "query",
    summary: "Run one read-only SQL SELECT over the market store (tables: trades, bars, instruments, book_snapshots, integrity_events).",
    load: async () => (await import("./query.ts")).queryCommand,
  },
  {
    name: "data",
    summary: "Manage market data sources: add-parquet registers Parquet files in place; symbols lists what the store holds (NDJSON).",
    load: async () => (await import("./data.ts")).dataCommand,
  },
  {
    name: "backtest",
    summary: "Backtest a TypeScript strategy in the sandbox over a CSV/Parquet file or a stored symbol.",
    load: async () => (await import("./backtest.ts")).backtestCommand,
  },
  {
    name: "paper",
    summary: "Run a strategy on paper: --replay FILE.jsonl runs a recorded session through the live path in process (deterministic).",
    load: async () => (await import("./paper.ts")).paperCommand,
  },
  {
    name: "orders",
    summary: "List paper orders (through the running core, else from the app database).",
    load: async () => (await import("./trading.ts")).ordersCommand,
  },
  {
    name: "positions",
    summary: "List paper positions per account and sub-ledger with P&L.",
    load: async () => (await import("./trading.ts")).positionsCommand,
  },
  {
    name: "fills",
    summary: "List paper fills (venue time, price, size, fee, maker/taker).",
    load: async () => (await import("./trading.ts")).fillsCommand,
  },
  {
    name: "order",
    summary: "Place a manual paper order through the running core: buy|sell SYMBOL SIZE --venue V [--limit P | --stop P].",
    load: async () => (await import("./trading.ts")).orderCommand,
  },
  {
    name: "trading",
    summary: "The kill switch (halt, reduce-only, resume, status), failed-orders cancel|leave, reset --account paper:VENUE --yes.",
    load: async () => (await import("./trading.ts")).tradingCommand,
  },
  {
    name: "sweep",
    summary: "Run a strategy over a grid of params across worker processes; in- and out-of-sample results.",
    load: async () => (await import("./sweep.ts")).sweepCommand,
  },
  {
    name: "walkforward",
    summary: "Walk-forward a strategy: sweep each in-sample window, run the best params out of sample, stitch the results.",
    load: async () => (await import("./walkforward.ts")).walkforwardCommand,
  },
  {
    name: "montecarlo",
    summary: "Monte Carlo of a saved backtest run or a strategy: reshuffled, skipped or bootstrapped trades and returns, randomised costs.",
    load: async () => (await import("./montecarlo.ts")).montecarloCommand,
  },
  {
    name: "sensitivity",
    summary: "Cost sensitivity (0x-3x fees and slippage, break-even cost) and warm-up sensitivity (started 0, 100, 500 bars earlier) of a strategy.",
    load: async () => (await import("./sensitivity.ts")).sensitivityCommand,
  },
  {
    name: "screen",
    summary: "Rank a universe of symbols by built-in columns (indicators, technical rating), SQL, or a strategy's backtest.",
    load: async () => (await import("./screen.ts")).screenCommand,
  },
  {
    name: "universe",
    summary: "Manage the screener's named universes (add from the store, a venue, the watchlist or by hand; list, show, remove).",
    load: async () => (await import("./universe.ts")).universeCommand,
  },
  {
    name: "ask",
    summary: "Ask the AI assistant (writes, type-checks and backtests strategies, queries local data) and print its answer.",
    load: async () => (await import("./ask.ts")).askCommand,
  },
  {
    name: "cloud",
    summary: "Run the cloud account service (end-to-end encrypted sync); `cloud serve` prints its base URL first on stdout.",
    load: async () => (await import("./cloud.ts")).cloudCommand,
  },
  {
    name: "account",
    summary: "The cloud account of this data directory: signup, login, logout, status, devices (password from WORKSTATION_PASSWORD or a prompt).",
    load: async () => (await import("./account.ts")).accountCommand,
  },
  {
    name: "sync",
    summary: "Run one end-to-end encrypted sync round with the cloud account; prints pushed, pulled and conflicts.",
    load: async () => (await import("./sync.ts")).syncCommand,
  },
  {
    name: "strategies",
    summary: "The saved-strategy library: save a file as a new version, list, show the latest source, list versions (forks marked).",
    load: async () => (await import("./strategies.ts")).strategiesCommand,
  },
];
