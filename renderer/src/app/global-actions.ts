/** Installs the handlers of the app-wide shortcuts (dialogs, theme, new window). */
import { useEffect } from "react";
import { openNewWindow } from "../bridge.ts";
import { onAction } from "../lib/shortcuts.ts";
import { useDialogs } from "../stores/dialogs.ts";
import { useTheme } from "../stores/theme.ts";

/** Hook: registers the global actions for the lifetime of the app. */
export function useGlobalActions(): void {
  useEffect(() => {
    const offs = [
      onAction("search", () => useDialogs.getState().show("search")),
      onAction("settings", () => useDialogs.getState().show("settings")),
      onAction("shortcuts", () => useDialogs.getState().show("shortcuts")),
      onAction("escape", () => {
        if (useDialogs.getState().open === null) return false;
        useDialogs.getState().close();
        return true;
      }),
      onAction("newWindow", () => openNewWindow()),
      onAction("theme", () => useTheme.getState().toggle()),
    ];
    return () => offs.forEach((off) => off());
  }, []);
}
