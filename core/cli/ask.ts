/**
 * `workstation ask "PROMPT" [--json]`: one assistant conversation, non-interactively, with the
 * same tools as the chat panel. The provider comes from the settings and the WORKSTATION_AI_*
 * environment variables; the store is reached through a running core (or opened here when none
 * runs); strategies run in a sandboxed worker. With --json, stdout carries exactly
 * `{"messages","toolCalls","strategies","backtests"}` (plus `error` on failure).
 */
import { escapeControls } from "../../common/text/escape.ts";
import type { ChatEntry, TurnSnapshot } from "../../common/api/assistant.ts";
import type { ApiClient } from "../../common/api/client.ts";
import type { BarColumns } from "../../common/market/bars.ts";
import { apiStoreBackend, type ApiCaller, type AssistantBackend } from "../assistant/backend.ts";
import { clientCaller, handlerCaller } from "../assistant/callers.ts";
import { ConversationStore } from "../assistant/history.ts";
import { keychainAiKeys } from "../assistant/keys.ts";
import { type BarsLoader, localStrategyBackend } from "../assistant/local-backend.ts";
import { AssistantRuntime, type ChatOutcome } from "../assistant/runtime.ts";
import { silentLogger } from "../log.ts";
import { storeBarsLoader } from "../services/assistant.ts";
import { storeHandlers } from "../services/store.ts";
import { type AppDb, Store, openAppDb } from "../store/index.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { type CliCommand, type CliIo, UsageError, intOption } from "./command.ts";
import { connectToRunningCore } from "./core-client.ts";

/** The exact `--json` output of `ask`. */
export interface AskJson {
  messages: { role: "user" | "assistant" | "tool"; content: string }[];
  toolCalls: { name: string; args: Record<string, unknown>; ok: boolean; error?: string }[];
  strategies: string[];
  backtests: { strategy: string; metrics: Record<string, number | null> }[];
  error?: string;
}

/** Builds the JSON output from the turn's outcome. */
export function askJson(outcome: ChatOutcome): AskJson {
  const { snapshot, tools } = outcome;
  const messages = snapshot.entries
    .filter((e) => e.role !== "assistant" || e.text !== "")
    .map((e) => ({ role: e.role, content: e.text }));
  const toolCalls = snapshot.entries.flatMap((e) =>
    e.role === "assistant" ? e.toolCalls.map((c) => ({ name: c.name, args: c.args, ok: c.ok === true, ...(c.error !== undefined ? { error: c.error } : {}) })) : [],
  );
  return {
    messages,
    toolCalls,
    strategies: tools?.strategies ?? [],
    backtests: tools?.backtests ?? [],
    ...(snapshot.error && snapshot.status !== "done" ? { error: snapshot.error.message } : {}),
  };
}

/** Bars through a running core's API (one page of up to a million bars). */
function apiBarsLoader(caller: ApiCaller): BarsLoader {
  return async (req, signal) => {
    const page = await caller.call("store.candles", { symbol: req.symbol, timeframe: req.timeframe, from: req.from, to: req.to, limit: 1_000_000 }, { signal });
    const col = (a: number[]): Float64Array => Float64Array.from(a);
    const bars: BarColumns = { symbol: page.symbol, time: col(page.time), open: col(page.open), high: col(page.high), low: col(page.low), close: col(page.close), volume: col(page.volume) };
    return bars;
  };
}

/** Everything `ask` opened, to close at the end. */
interface AskResources {
  backend: AssistantBackend;
  app: AppDb | null;
  close(): Promise<void>;
}

async function openResources(dataDir: string): Promise<AskResources> {
  let app: AppDb | null = null;
  try {
    app = openAppDb(dataDir);
  } catch {
    app = null;
  }
  const client: ApiClient | null = await connectToRunningCore(dataDir).catch(() => null);
  const store = client ? null : new Store(dataDir);
  const caller = client ? clientCaller(client) : handlerCaller(() => storeHandlers({ store: store! }));
  let pool: WorkerPool | null = null;
  const backend: AssistantBackend = {
    ...apiStoreBackend(caller),
    ...localStrategyBackend({
      app: () => {
        if (!app) throw new Error("the app database of this data directory cannot be opened");
        return app;
      },
      pool: () => (pool ??= new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() })),
      loadBars: client ? apiBarsLoader(caller) : storeBarsLoader(store!),
    }),
  };
  return {
    backend,
    app,
    close: async () => {
      await pool?.shutdown();
      client?.close();
      await store?.close();
      app?.close();
    },
  };
}

/** Reports each finished tool call on stderr once. */
function toolReporter(io: CliIo): (snapshot: TurnSnapshot) => void {
  const seen = new Set<string>();
  return (snapshot) => {
    for (const entry of snapshot.entries) {
      if (entry.role !== "assistant") continue;
      for (const call of entry.toolCalls) {
        if (call.ok === null || seen.has(call.id)) continue;
        seen.add(call.id);
        io.err(`tool ${call.name}: ${call.ok ? "ok" : `failed: ${escapeControls(call.error ?? "error")}`}`);
      }
      if (snapshot.notice && !seen.has(snapshot.notice)) {
        seen.add(snapshot.notice);
        io.err(snapshot.notice);
      }
    }
  };
}

function lastAnswer(entries: readonly ChatEntry[]): string {
  return entries.filter((e) => e.role === "assistant" && e.text !== "").map((e) => e.text).join("\n\n");
}

/** The ask command. */
export const askCommand: CliCommand = {
  name: "ask",
  usage: '"PROMPT" [--json] [--conversation ID]',
  help: [
    "--json             print {messages, toolCalls, strategies, backtests[, error]} as JSON on stdout",
    "--conversation ID  continue a saved conversation",
    "provider: Settings, overridden by WORKSTATION_AI_PROVIDER, _BASE_URL, _MODEL, _API_KEY, _TIMEOUT_MS",
  ],
  options: { json: { type: "boolean" }, conversation: { type: "string" } },
  allowPositionals: true,
  async run(args, io) {
    const text = args.positionals.join(" ").trim();
    if (!text) throw new UsageError('give the question as an argument: workstation ask "PROMPT"');
    const conversationId = args.values.conversation === undefined ? undefined : intOption(args.values, "conversation", 0, 1, Number.MAX_SAFE_INTEGER);
    const resources = await openResources(args.dataDir);
    const ctrl = new AbortController();
    const onSignal = (): void => ctrl.abort();
    process.once("SIGINT", onSignal);
    try {
      const app = resources.app;
      const runtime = new AssistantRuntime({
        settings: () => (app ? { get: (k) => app.getSetting(k), set: (k, v) => app.setSetting(k, v) } : null),
        conversations: () => (app ? new ConversationStore(app.db) : null),
        keys: keychainAiKeys(),
        backend: resources.backend,
        env: io.env,
      });
      const view = await runtime.view().catch(() => null);
      if (view?.configured && view.disclosure) io.err(`note: ${view.disclosure}`);
      const outcome = await runtime.chat({ text, conversationId, requireConsent: false }, ctrl.signal, toolReporter(io));
      const { snapshot } = outcome;
      if (args.values.json === true) io.out(JSON.stringify(askJson(outcome)));
      else if (lastAnswer(snapshot.entries)) io.out(lastAnswer(snapshot.entries));
      if (snapshot.status === "done") return 0;
      io.err(`workstation ask: ${escapeControls(snapshot.error?.message ?? snapshot.status)}`);
      return snapshot.status === "stopped" ? 130 : 1;
    } finally {
      process.off("SIGINT", onSignal);
      await resources.close();
    }
  },
};
