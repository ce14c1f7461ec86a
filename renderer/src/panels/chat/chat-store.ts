/**
 * The chat panel's state: provider settings, the conversation list, the open conversation, and
 * the turn in progress (a subscription to `assistant.chat`; unsubscribing is Stop). When a turn
 * saves a strategy it is opened in the editor; when it runs a backtest the full result is shown
 * in the results panel — each once per tool call.
 */
import { create } from "zustand";
import type { AssistantSettingsView, ChatEntry, ConversationSummary, TokenUsage, ToolCallRecord, TurnSnapshot } from "../../../../common/api/assistant.ts";
import type { Timeframe } from "../../../../common/market/bars.ts";
import { useBacktest } from "../../stores/backtest.ts";
import { api } from "../../stores/connection.ts";
import { useStrategies } from "../../stores/strategies.ts";

interface ChatStore {
  settings: AssistantSettingsView | null;
  conversations: ConversationSummary[];
  conversationId: number | null;
  /** Saved entries of the open conversation (before the running turn). */
  entries: ChatEntry[];
  /** The turn in progress or just finished (its entries are not yet in `entries` while running). */
  turn: TurnSnapshot | null;
  usage: TokenUsage;
  error: string | null;
  stop: (() => void) | null;
  loadSettings(): Promise<void>;
  refreshList(): Promise<void>;
  open(id: number): Promise<void>;
  newConversation(): void;
  send(text: string): void;
  retry(): void;
  cancel(): void;
  consent(): Promise<void>;
  remove(id: number): Promise<void>;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const finished = (s: TurnSnapshot): boolean => s.status !== "running" && s.status !== "retrying";

/** Tool calls whose side effects (editor, results) already happened. */
const handled = new Set<string>();

/** Opens a saved strategy in the editor by name. */
export async function openStrategyInEditor(name: string): Promise<void> {
  await useStrategies.getState().refresh();
  const found = useStrategies.getState().list.find((s) => s.name === name);
  if (found) await useStrategies.getState().open(found.id);
}

/** The cash and costs a backtest of the assistant used (as its card shows them). */
type RunCosts = NonNullable<Extract<NonNullable<ToolCallRecord["view"]>, { kind: "backtest" }>["costs"]>;

/** Shows a backtest the assistant ran in the results panel, with the cash and costs it used. */
export async function showBacktestInResults(resultId: string, costs?: RunCosts): Promise<void> {
  const r = await api.call("assistant.backtestResult", { resultId });
  const first = r.equityTime[0];
  const last = r.equityTime.at(-1);
  const range = { from: first ?? null, to: last === undefined ? null : last + 1 };
  useBacktest.getState().setResult({
    id: r.resultId,
    label: `${r.strategy} (assistant)`,
    symbol: r.symbol,
    venue: r.venue,
    timeframe: r.timeframe as Timeframe,
    params: r.params,
    bars: r.bars,
    metrics: r.metrics,
    trades: r.trades,
    orders: r.orders,
    equityTime: r.equityTime,
    equity: r.equity,
    finalEquity: r.finalEquity,
    logs: r.logs,
    ...(costs ? { settings: { ...costs, ...range } } : {}),
  });
}

function applySideEffects(calls: ToolCallRecord[], setError: (e: string) => void): void {
  for (const call of calls) {
    if (call.ok !== true || handled.has(call.id) || !call.view) continue;
    handled.add(call.id);
    if (call.view.kind === "strategy") openStrategyInEditor(call.view.name).catch((e: unknown) => setError(message(e)));
    if (call.view.kind === "backtest" && call.view.resultId) showBacktestInResults(call.view.resultId, call.view.costs).catch((e: unknown) => setError(message(e)));
  }
}

/** The chat store. */
export const useChat = create<ChatStore>((set, get) => {
  const setError = (error: string): void => set({ error });
  const subscribe = (params: { conversationId?: number; text?: string; retry?: boolean }): void => {
    get().stop?.();
    const stop = api.subscribe("assistant.chat", params, {
      onEvent: (snapshot) => {
        set({ turn: snapshot, conversationId: snapshot.conversationId ?? get().conversationId, usage: snapshot.usage });
        applySideEffects(snapshot.entries.flatMap((e) => (e.role === "assistant" ? e.toolCalls : [])), setError);
        if (finished(snapshot)) {
          stop();
          set({ stop: null });
          void get().refreshList();
        }
      },
      onEnd: (err) => set({ stop: null, error: err ? err.message : null }),
    });
    set({ stop, error: null });
  };
  return {
    settings: null,
    conversations: [],
    conversationId: null,
    entries: [],
    turn: null,
    usage: { input: 0, output: 0 },
    error: null,
    stop: null,
    loadSettings: async () => {
      try {
        set({ settings: await api.call("assistant.settings", {}) });
      } catch (err) {
        setError(message(err));
      }
    },
    refreshList: async () => {
      try {
        set({ conversations: await api.call("assistant.conversations", {}) });
      } catch (err) {
        setError(message(err));
      }
    },
    open: async (id) => {
      get().stop?.();
      try {
        const c = await api.call("assistant.conversation", { id });
        set({ conversationId: c.id, entries: c.entries, usage: c.usage, turn: null, stop: null, error: null });
      } catch (err) {
        setError(message(err));
      }
    },
    newConversation: () => {
      get().stop?.();
      set({ conversationId: null, entries: [], turn: null, stop: null, usage: { input: 0, output: 0 }, error: null });
    },
    send: (text) => {
      const { turn, entries, conversationId } = get();
      const kept = turn ? [...entries, ...turn.entries] : entries;
      set({ entries: kept, turn: null });
      subscribe({ ...(conversationId !== null ? { conversationId } : {}), text });
    },
    retry: () => {
      const { conversationId } = get();
      if (conversationId === null) return;
      set({ turn: null });
      subscribe({ conversationId, retry: true });
    },
    cancel: () => {
      const { stop, turn } = get();
      stop?.();
      set({ stop: null, ...(turn ? { turn: { ...turn, status: "stopped" as const } } : {}) });
    },
    consent: async () => {
      try {
        set({ settings: await api.call("assistant.consent", {}) });
      } catch (err) {
        setError(message(err));
      }
    },
    remove: async (id) => {
      try {
        await api.call("assistant.deleteConversation", { id });
        if (get().conversationId === id) get().newConversation();
        await get().refreshList();
      } catch (err) {
        setError(message(err));
      }
    },
  };
});
