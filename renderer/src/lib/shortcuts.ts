/**
 * Keyboard shortcuts: a pure mapping from a key event to an action (testable without a DOM), and
 * a registry where components install the handler of the actions they own (the editor owns
 * "save" and "run", the chart owns timeframes…). Plain-letter shortcuts are ignored while the
 * user types in a field or the code editor; modifier shortcuts work everywhere.
 */
import type { Timeframe } from "../../../common/market/bars.ts";

/** Every action a shortcut can trigger. */
export type Action =
  | { kind: "timeframe"; timeframe: Timeframe }
  | { kind: "search" }
  | { kind: "settings" }
  | { kind: "shortcuts" }
  | { kind: "save" }
  | { kind: "run" }
  | { kind: "newWindow" }
  | { kind: "theme" }
  | { kind: "watch" }
  | { kind: "escape" };

/** The part of a KeyboardEvent the mapping reads. */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  /** True when the event comes from a text field or the code editor. */
  typing: boolean;
  /** `KeyboardEvent.code`, used for Alt+digit (Alt changes `key` on some layouts). */
  code?: string;
}

const TF_BY_DIGIT: Record<string, Timeframe> = { "1": "1s", "2": "1m", "3": "5m", "4": "15m", "5": "1h", "6": "4h", "7": "1d", "8": "1w", "9": "1M" };

/** The shortcut sheet: keys as shown to the user and what they do. */
export const SHORTCUTS: ReadonlyArray<readonly [keys: string, what: string]> = [
  ["1 … 9  or  Alt+1 … 9", "timeframe 1s, 1m, 5m, 15m, 1h, 4h, 1d, 1w, 1M"],
  ["/  or  Ctrl+K", "search a symbol"],
  ["Alt+W", "add the chart's symbol to the watchlist"],
  ["Ctrl+S", "save the strategy (a new version)"],
  ["Ctrl+Enter", "run a backtest of the strategy"],
  ["Ctrl+,", "settings"],
  ["Alt+N", "open a new window"],
  ["Alt+T", "switch dark / light theme"],
  ["?", "this sheet"],
  ["Esc", "close a dialog"],
];

function digitOf(ev: KeyLike): string | null {
  if (ev.code?.startsWith("Digit")) return ev.code.slice(5);
  return /^[0-9]$/.test(ev.key) ? ev.key : null;
}

function withModifier(ev: KeyLike, key: string): Action | null {
  const mod = ev.ctrlKey || ev.metaKey;
  if (mod && !ev.altKey) {
    if (key === "k") return { kind: "search" };
    if (key === "s") return { kind: "save" };
    if (key === "enter") return { kind: "run" };
    if (key === ",") return { kind: "settings" };
    return null;
  }
  // Alt (Option on macOS) also types characters: Alt shortcuts wait until no field has the focus.
  if (ev.altKey && !mod && !ev.typing) {
    const digit = digitOf(ev);
    const tf = digit ? TF_BY_DIGIT[digit] : undefined;
    if (tf) return { kind: "timeframe", timeframe: tf };
    const code = ev.code?.startsWith("Key") ? ev.code.slice(3).toLowerCase() : key;
    if (code === "n") return { kind: "newWindow" };
    if (code === "t") return { kind: "theme" };
    if (code === "w") return { kind: "watch" };
  }
  return null;
}

/** Maps a key event to its action, or null. */
export function actionFor(ev: KeyLike): Action | null {
  const key = ev.key.toLowerCase();
  if (key === "escape") return { kind: "escape" };
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return withModifier(ev, key);
  if (ev.typing) return null;
  const tf = TF_BY_DIGIT[ev.key];
  if (tf) return { kind: "timeframe", timeframe: tf };
  if (ev.key === "/") return { kind: "search" };
  if (ev.key === "?") return { kind: "shortcuts" };
  return null;
}

type Handler = (action: Action) => boolean | void;
const handlers = new Map<Action["kind"], Handler>();

/** Installs the handler of an action kind; returns the function that removes it. */
export function onAction<K extends Action["kind"]>(kind: K, handler: (action: Extract<Action, { kind: K }>) => boolean | void): () => void {
  handlers.set(kind, handler as Handler);
  return () => {
    if (handlers.get(kind) === (handler as Handler)) handlers.delete(kind);
  };
}

/** Runs the handler of an action; false when nobody handles it. */
export function dispatch(action: Action): boolean {
  const handler = handlers.get(action.kind);
  if (!handler) return false;
  return handler(action) !== false;
}
