/**
 * Esc for the editor's own dialogs (diff, name, unsaved draft), which are not in the dialog store
 * the global Esc shortcut closes: a window listener in the capture phase, so it runs before the
 * shortcut registry and before Monaco, and the key goes no further.
 */
import { useEffect, useRef } from "react";

/** Hook: calls `onEscape` when Esc is pressed while the component is mounted. */
export function useEscape(onEscape: () => void): void {
  const latest = useRef(onEscape);
  latest.current = onEscape;
  useEffect(() => {
    const listener = (ev: KeyboardEvent): void => {
      if (ev.key !== "Escape") return;
      ev.preventDefault();
      ev.stopPropagation();
      latest.current();
    };
    window.addEventListener("keydown", listener, true);
    return () => window.removeEventListener("keydown", listener, true);
  }, []);
}
