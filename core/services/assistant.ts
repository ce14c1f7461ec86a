/**
 * Handlers of the `assistant.*` API entries. The chat is a stream: subscribing sends one message
 * and streams snapshots of the turn; unsubscribing (Stop) aborts it, tool calls included. The
 * stream is not ended from core's side after the final snapshot (ending would discard a snapshot
 * still queued for a slow client); the client unsubscribes once it sees a final status.
 */
import { ApiError } from "../../common/api/index.ts";
import type { PartialHandlers } from "../api/handlers.ts";
import { apiStoreBackend, type AssistantBackend } from "../assistant/backend.ts";
import { handlerCaller } from "../assistant/callers.ts";
import { ConversationStore } from "../assistant/history.ts";
import type { AiKeyStore } from "../assistant/keys.ts";
import { type BarsLoader, localStrategyBackend } from "../assistant/local-backend.ts";
import { ResultCache } from "../assistant/result-cache.ts";
import { AssistantRuntime } from "../assistant/runtime.ts";
import type { ModelOptions } from "../assistant/provider.ts";
import type { Logger } from "../log.ts";
import type { ApiHandlers } from "../api/handlers.ts";
import type { AppDb } from "../store/app-db.ts";
import { loadBars } from "../store/candles.ts";
import type { Store } from "../store/index.ts";
import type { WorkerPool } from "../workers/pool.ts";
import { UiState } from "./ui-state.ts";

type AssistantMethods =
  | "assistant.settings"
  | "assistant.configure"
  | "assistant.consent"
  | "assistant.conversations"
  | "assistant.conversation"
  | "assistant.deleteConversation"
  | "assistant.backtestResult"
  | "assistant.chat";

/** What the assistant service uses. */
export interface AssistantDeps {
  store: Store;
  pool: WorkerPool;
  /** The complete handler map (the tools call the store through it). */
  handlers: () => Partial<ApiHandlers>;
  keys: AiKeyStore;
  env: NodeJS.ProcessEnv;
  log: Logger;
  modelOptions?: ModelOptions;
}

/** Bars from core's store. */
export function storeBarsLoader(store: Store): BarsLoader {
  return (req) => store.withMarket((db) => loadBars(db, req));
}

/** The backend of the tools inside core. */
export function coreBackend(deps: Pick<AssistantDeps, "store" | "pool" | "handlers">, results?: ResultCache): AssistantBackend {
  return {
    ...apiStoreBackend(handlerCaller(deps.handlers)),
    ...localStrategyBackend({
      app: (): AppDb => deps.store.app(),
      pool: () => deps.pool,
      loadBars: storeBarsLoader(deps.store),
      // The assistant's runs cost what the UI's run form costs by default.
      costs: () => new UiState(() => deps.store.app()).settings().backtest,
      ...(results ? { results } : {}),
    }),
  };
}

/** Builds the assistant part of the handler map. */
export function assistantHandlers(deps: AssistantDeps): PartialHandlers<AssistantMethods> {
  const conversations = (): ConversationStore => new ConversationStore(deps.store.app().db);
  const results = new ResultCache();
  const runtime = new AssistantRuntime({
    settings: () => {
      const app = deps.store.app();
      return { get: (k) => app.getSetting(k), set: (k, v) => app.setSetting(k, v) };
    },
    conversations,
    keys: deps.keys,
    backend: coreBackend(deps, results),
    env: deps.env,
    ...(deps.modelOptions ? { modelOptions: deps.modelOptions } : {}),
  });
  return {
    "assistant.settings": () => runtime.view(),
    "assistant.configure": (p) => runtime.configure(p),
    "assistant.consent": () => runtime.consent(),
    "assistant.conversations": (p) => conversations().list(p.limit),
    "assistant.conversation": (p) => {
      const conversation = conversations().get(p.id);
      if (!conversation) throw new ApiError("not_found", `conversation ${p.id} does not exist`);
      return conversation;
    },
    "assistant.deleteConversation": (p) => ({ deleted: conversations().delete(p.id) }),
    "assistant.backtestResult": (p) => {
      const result = results.get(p.resultId);
      if (!result) throw new ApiError("not_found", "that backtest result is no longer kept in memory; run it again");
      return result;
    },
    "assistant.chat": (p, sink) => {
      runtime
        .chat({ ...p, requireConsent: true }, sink.signal, (snapshot) => sink.emit(snapshot))
        .catch((err: unknown) => {
          deps.log.error({ err }, "assistant turn failed");
          sink.end(new ApiError("internal", err instanceof Error ? err.message : String(err)));
        });
    },
  };
}
