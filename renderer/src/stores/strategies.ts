/**
 * The editor's strategy: which saved strategy is open, its unsaved draft (kept in localStorage so
 * a reload loses nothing), and the library list from core (`ui.strategies.*`). A save stores a new
 * version in SQLite when the source changed. Duplicate saves the draft (unsaved edits included)
 * as a new strategy. Operations resolve to false when core refused them (the reason is in `error`);
 * asking before the draft is replaced is the editor panel's job (editor/draft.ts).
 */
import { create } from "zustand";
import type { StrategyDetail, StrategySummary } from "../../../common/api/ui.ts";
import { TEMPLATES } from "../../../common/strategy/templates.ts";
import { api } from "./connection.ts";

interface StrategiesStore {
  list: StrategySummary[];
  /** The open saved strategy, or null for an unsaved draft. */
  current: StrategyDetail | null;
  /** Name of the draft (the saved name when open). */
  name: string;
  draft: string;
  /** Type errors the editor currently marks. */
  typeErrors: number;
  error: string | null;
  refresh(): Promise<boolean>;
  open(id: number): Promise<boolean>;
  setDraft(source: string): void;
  fromTemplate(id: string): void;
  save(): Promise<boolean>;
  rename(name: string): Promise<boolean>;
  /** Saves the draft as a new strategy named `name` and opens it. */
  duplicate(name: string): Promise<boolean>;
  remove(): Promise<boolean>;
}

const KEY = "workstation.editor";

function loadDraft(): { name: string; draft: string; id: number | null } {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? "null") as { name?: unknown; draft?: unknown; id?: unknown } | null;
    if (v && typeof v.draft === "string" && typeof v.name === "string") return { name: v.name, draft: v.draft, id: typeof v.id === "number" ? v.id : null };
  } catch {
    // A corrupt draft falls back to the first template.
  }
  return { name: "SMA crossover", draft: TEMPLATES[0]!.source, id: null };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const initial = loadDraft();

/** The strategies store. */
export const useStrategies = create<StrategiesStore>((set, get) => {
  const guard = async (op: () => Promise<void>): Promise<boolean> => {
    try {
      await op();
      set({ error: null });
      return true;
    } catch (err) {
      set({ error: message(err) });
      return false;
    }
  };
  const opened = (current: StrategyDetail): void => set({ current, name: current.name, draft: current.source });
  return {
    list: [],
    current: null,
    name: initial.name,
    draft: initial.draft,
    typeErrors: 0,
    error: null,
    refresh: () => guard(async () => set({ list: await api.call("ui.strategies.list", {}) })),
    open: (id) => guard(async () => opened(await api.call("ui.strategies.get", { id }))),
    setDraft: (draft) => set({ draft }),
    fromTemplate: (id) => {
      const t = TEMPLATES.find((x) => x.id === id);
      if (t) set({ current: null, name: t.name, draft: t.source });
    },
    save: () =>
      guard(async () => {
        const { current, name, draft } = get();
        opened(await api.call("ui.strategies.save", { ...(current ? { id: current.id } : {}), name, source: draft }));
        await get().refresh();
      }),
    rename: (name) =>
      guard(async () => {
        const { current } = get();
        if (current) {
          const renamed = await api.call("ui.strategies.rename", { id: current.id, name });
          set({ current: renamed, name: renamed.name });
        } else set({ name: name.trim() });
        await get().refresh();
      }),
    duplicate: (name) =>
      guard(async () => {
        const { current, draft } = get();
        const edited = current !== null && draft !== current.source;
        const note = current ? `copy of ${current.name} v${current.latestVersion}${edited ? " with unsaved edits" : ""}` : undefined;
        opened(await api.call("ui.strategies.save", { name, source: draft, ...(note ? { note } : {}) }));
        await get().refresh();
      }),
    remove: () =>
      guard(async () => {
        const { current } = get();
        if (current) await api.call("ui.strategies.delete", { id: current.id });
        set({ current: null });
        await get().refresh();
      }),
  };
});

useStrategies.subscribe((s) => localStorage.setItem(KEY, JSON.stringify({ name: s.name, draft: s.draft, id: s.current?.id ?? null })));

/** True once the strategy the page was left on has been looked up in core. */
let restored = false;

/**
 * Reads the library and, the first time core answers, reopens the saved strategy the draft
 * belonged to (keeping the unsaved draft text); later calls (after core came back) only read the
 * library again, so they never swap the strategy the user has open since.
 */
export async function restoreOpenStrategy(): Promise<void> {
  if (!(await useStrategies.getState().refresh()) || restored) return;
  restored = true;
  if (initial.id === null) return;
  try {
    const current = await api.call("ui.strategies.get", { id: initial.id });
    useStrategies.setState({ current });
  } catch {
    // It was deleted meanwhile: keep the draft as unsaved.
  }
}
