/** The DOM side of the shortcuts: which targets take text, and the window keydown listener. */
import { actionFor, dispatch } from "./shortcuts.ts";

/** True when the element takes text input (fields, selects, the code editor). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest(".monaco-editor")) return true;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}

/** Listens to keydown on the window and dispatches shortcuts; returns the remover. */
export function installShortcuts(target: Window = window): () => void {
  const listener = (ev: KeyboardEvent): void => {
    const action = actionFor({ key: ev.key, code: ev.code, ctrlKey: ev.ctrlKey, metaKey: ev.metaKey, altKey: ev.altKey, shiftKey: ev.shiftKey, typing: isTypingTarget(ev.target) });
    if (action && dispatch(action)) ev.preventDefault();
  };
  target.addEventListener("keydown", listener);
  return () => target.removeEventListener("keydown", listener);
}
