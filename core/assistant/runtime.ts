/**
 * The assistant as core and the `ask` CLI run it: resolves the provider configuration (settings,
 * keychain, environment), enforces the cloud disclosure, loads and saves the conversation, and
 * runs one turn while publishing snapshots of it (throttled) — with retry notices while the
 * provider rate-limits, and a final snapshot with the outcome.
 */
import type { AssistantFailure, AssistantSettingsView, ChatEntry, TokenUsage, TurnSnapshot } from "../../common/api/assistant.ts";
import type { AssistantBackend } from "./backend.ts";
import { type AssistantConfig, CONSENT_KEY, SETTINGS_KEY, type SettingsAccess, type StoredProviderSettings, configProblem, destinationId, resolveConfig, settingsView } from "./config.ts";
import { runTurn } from "./conversation.ts";
import type { ConversationStore } from "./history.ts";
import type { AiKeyStore } from "./keys.ts";
import { usageOf } from "./messages.ts";
import { type ModelOptions, createModel, outputTokenLimit } from "./provider.ts";
import { systemPrompt } from "./prompt.ts";
import type { TurnToolState } from "./tools/index.ts";

/** What the runtime uses. */
export interface RuntimeDeps {
  /** Stored settings; null when the app database is not available. */
  settings: () => SettingsAccess | null;
  conversations: () => ConversationStore | null;
  keys: AiKeyStore;
  backend: AssistantBackend;
  env: NodeJS.ProcessEnv;
  /** Retry timing overrides, for tests. */
  modelOptions?: ModelOptions;
  /** Minimum spacing of streamed snapshots, ms (default 40). */
  throttleMs?: number;
}

/** One chat request. */
export interface ChatRequest {
  conversationId?: number | undefined;
  text?: string | undefined;
  retry?: boolean | undefined;
  /** Refuse a cloud provider whose disclosure was not acknowledged (the panel); the CLI prints it instead. */
  requireConsent: boolean;
}

/** The final outcome of a chat request. */
export interface ChatOutcome {
  snapshot: TurnSnapshot;
  tools: TurnToolState | null;
}

/** Settings fields `configure` accepts. */
export type ConfigurePatch = StoredProviderSettings & { apiKey?: string | null | undefined };

function safeSettings(deps: RuntimeDeps): SettingsAccess | null {
  try {
    return deps.settings();
  } catch {
    return null;
  }
}

/** Runs the assistant for one data directory. */
export class AssistantRuntime {
  private readonly deps: RuntimeDeps;

  constructor(deps: RuntimeDeps) {
    this.deps = deps;
  }

  /** The effective configuration (environment over settings over defaults). */
  async config(): Promise<AssistantConfig> {
    const stored = safeSettings(this.deps)?.get<StoredProviderSettings>(SETTINGS_KEY) ?? {};
    const provider = resolveConfig(stored, null, this.deps.env).provider;
    return resolveConfig(stored, await this.deps.keys.get(provider), this.deps.env);
  }

  /** The settings view for the panel. */
  async view(): Promise<AssistantSettingsView> {
    const consented = safeSettings(this.deps)?.get<string[]>(CONSENT_KEY) ?? [];
    return settingsView(await this.config(), consented, (await this.deps.keys.probe()) === null);
  }

  /** Saves provider settings (and the key in the keychain). */
  async configure(patch: ConfigurePatch): Promise<AssistantSettingsView> {
    const settings = safeSettings(this.deps);
    if (!settings) throw new Error("the app database is not available, so settings cannot be saved");
    const { apiKey, ...fields } = patch;
    const current = settings.get<StoredProviderSettings>(SETTINGS_KEY) ?? {};
    const next: StoredProviderSettings = { ...current };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) (next as Record<string, unknown>)[k] = v;
    settings.set(SETTINGS_KEY, next);
    const provider = next.provider ?? "openai-compatible";
    if (apiKey === null) await this.deps.keys.delete(provider);
    else if (apiKey !== undefined && apiKey !== "") await this.saveKey(provider, apiKey);
    return this.view();
  }

  /** Stores the key; without a keychain, says what was saved and what was not (no backend detail). */
  private async saveKey(provider: Parameters<AiKeyStore["set"]>[0], apiKey: string): Promise<void> {
    try {
      await this.deps.keys.set(provider, apiKey);
    } catch {
      throw new Error(
        `Saved the ${provider} provider settings; the API key was NOT saved: no OS keychain is available in this session. ` +
          "Start a keyring (GNOME Keyring, KWallet) and save the key again, or give it in the WORKSTATION_AI_API_KEY environment variable.",
      );
    }
  }

  /** Records that the user read the disclosure of the current cloud provider. */
  async consent(): Promise<AssistantSettingsView> {
    const settings = safeSettings(this.deps);
    if (!settings) throw new Error("the app database is not available");
    const id = destinationId(await this.config());
    const consented = settings.get<string[]>(CONSENT_KEY) ?? [];
    if (!consented.includes(id)) settings.set(CONSENT_KEY, [...consented, id]);
    return this.view();
  }

  /** Runs one turn; `emit` receives snapshots (the last one is the outcome). */
  async chat(request: ChatRequest, signal: AbortSignal, emit: (snapshot: TurnSnapshot) => void): Promise<ChatOutcome> {
    const fail = (error: AssistantFailure, conversationId: number | null = request.conversationId ?? null): ChatOutcome => {
      const snapshot: TurnSnapshot = { conversationId, status: "error", entries: request.text ? [{ role: "user", text: request.text, time: Date.now() }] : [], error, usage: { input: 0, output: 0 } };
      emit(snapshot);
      return { snapshot, tools: null };
    };
    let config: AssistantConfig;
    try {
      config = await this.config();
    } catch (err) {
      return fail({ kind: "config", message: err instanceof Error ? err.message : String(err), retryable: false });
    }
    const problem = configProblem(config);
    if (problem) return fail({ kind: "config", message: problem, retryable: false });
    const view = await this.view();
    if (request.requireConsent && view.consentNeeded) return fail({ kind: "consent", message: view.disclosure ?? "", retryable: true });
    const store = this.conversationStore();
    const loaded = this.loadHistory(store, request);
    if ("error" in loaded) return fail(loaded.error);
    const conversationId = loaded.id ?? store?.create(loaded.text) ?? null;
    return this.runTurnFor(config, { ...loaded, id: conversationId }, store, signal, emit);
  }

  private conversationStore(): ConversationStore | null {
    try {
      return this.deps.conversations();
    } catch {
      return null;
    }
  }

  private loadHistory(store: ConversationStore | null, request: ChatRequest): { id: number | null; text: string; history: ChatEntry[] } | { error: AssistantFailure } {
    const notFound = (id: number): { error: AssistantFailure } => ({ error: { kind: "bad_request", message: `conversation ${id} does not exist`, retryable: false } });
    if (request.conversationId === undefined) return { id: null, text: request.text ?? "", history: [] };
    if (!store) return { error: { kind: "config", message: "saved conversations are not available (no app database)", retryable: false } };
    if (request.retry) {
      const rewound = store.rewindToLastUser(request.conversationId);
      if (!rewound) return notFound(request.conversationId);
      return { id: request.conversationId, text: rewound.text, history: rewound.history };
    }
    const conversation = store.get(request.conversationId);
    if (!conversation) return notFound(request.conversationId);
    return { id: conversation.id, text: request.text ?? "", history: conversation.entries };
  }

  private async runTurnFor(
    config: AssistantConfig,
    conv: { id: number | null; text: string; history: ChatEntry[] },
    store: ConversationStore | null,
    signal: AbortSignal,
    emit: (snapshot: TurnSnapshot) => void,
  ): Promise<ChatOutcome> {
    const before = usageOf(conv.history);
    const publisher = new SnapshotPublisher(emit, this.deps.throttleMs ?? 40, conv.id, before);
    const model = createModel(config, {
      ...this.deps.modelOptions,
      onRetry: (n) => {
        const why = n.status === 429 ? "The provider is rate-limiting" : `The provider answered HTTP ${n.status}`;
        publisher.notice(`${why}; retrying in ${Math.ceil(n.delayMs / 1000)} s (${n.attempt}/${n.maxRetries})`);
        this.deps.modelOptions?.onRetry?.(n);
      },
    });
    const maxOutputTokens = outputTokenLimit(config);
    const result = await runTurn({
      model,
      system: systemPrompt(),
      history: conv.history,
      userText: conv.text,
      backend: this.deps.backend,
      maxToolRounds: config.maxToolRounds,
      maxTokens: config.maxTokens,
      ...(maxOutputTokens ? { maxOutputTokens } : {}),
      signal,
      onUpdate: (entries) => publisher.update(entries),
    });
    if (store && conv.id !== null) store.append(conv.id, result.entries);
    const snapshot: TurnSnapshot = { conversationId: conv.id, status: result.status, entries: result.entries, usage: result.usage, ...(result.error ? { error: result.error } : {}) };
    publisher.final(snapshot);
    return { snapshot, tools: result.tools };
  }
}

/** Throttles snapshots of a running turn; the final one always goes out at once. */
class SnapshotPublisher {
  private readonly emit: (s: TurnSnapshot) => void;
  private readonly spacingMs: number;
  private readonly conversationId: number | null;
  private readonly before: TokenUsage;
  private entries: readonly ChatEntry[] = [];
  private currentNotice: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastAt = 0;

  constructor(emit: (s: TurnSnapshot) => void, spacingMs: number, conversationId: number | null, before: TokenUsage) {
    this.emit = emit;
    this.spacingMs = spacingMs;
    this.conversationId = conversationId;
    this.before = before;
  }

  update(entries: readonly ChatEntry[]): void {
    this.entries = entries;
    this.currentNotice = null;
    this.schedule();
  }

  notice(text: string): void {
    this.currentNotice = text;
    this.flush();
  }

  final(snapshot: TurnSnapshot): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.emit(snapshot);
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastAt + this.spacingMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastAt = Date.now();
    const used = usageOf(this.entries);
    this.emit({
      conversationId: this.conversationId,
      status: this.currentNotice ? "retrying" : "running",
      entries: structuredClone([...this.entries]),
      ...(this.currentNotice ? { notice: this.currentNotice } : {}),
      usage: { input: this.before.input + used.input, output: this.before.output + used.output },
    });
  }
}
