/**
 * Quitting: when strategies run, the app asks first; then it stops core and quits. Every quit path
 * (menu, tray, Cmd+Q, last window closed) goes through Electron's `before-quit`, which this guards.
 */
import { dialog, type BrowserWindow, type Event, type MessageBoxOptions } from "electron";

/** Asks core whether anything runs that quitting would stop. */
export type RunningCheck = () => Promise<boolean>;

/**
 * Whether any strategy runs live. Core has no API for live strategies yet (strategies only
 * backtest, and a backtest stops harmlessly with core), so this answers false; once live trading
 * exists it asks core, and the quit dialog appears by itself.
 */
export const strategiesRunning: RunningCheck = async () => false;

/** What the guard needs from the app and the rest of main. */
export interface QuitGuardDeps {
  app: { on(event: "before-quit", listener: (event: Event) => void): unknown; quit(): void };
  /** Whether something runs (see {@link strategiesRunning}). */
  running: RunningCheck;
  /** Asks the user; true means quit anyway. */
  confirm: () => Promise<boolean>;
  /** Stops core before the app exits. */
  stop: () => Promise<void>;
  /** Reports an error from the check or the stop (the quit continues after a failed stop). */
  onError?: (error: unknown) => void;
}

/** Whether to quit: yes when nothing runs; otherwise (or when the check fails) the user decides. */
export async function shouldQuit(running: RunningCheck, confirm: () => Promise<boolean>, onError?: (error: unknown) => void): Promise<boolean> {
  let busy: boolean;
  try {
    busy = await running();
  } catch (error) {
    onError?.(error);
    busy = true;
  }
  return busy ? confirm() : true;
}

/** Holds every quit until it is confirmed and core has stopped, then quits for real. */
export function installQuitGuard(deps: QuitGuardDeps): void {
  let deciding = false;
  let approved = false;
  deps.app.on("before-quit", (event) => {
    if (approved) return;
    event.preventDefault();
    if (deciding) return;
    deciding = true;
    void shouldQuit(deps.running, deps.confirm, deps.onError)
      .then(async (quit) => {
        if (!quit) return;
        approved = true;
        await deps.stop().catch((error: unknown) => deps.onError?.(error));
        deps.app.quit();
      })
      .finally(() => {
        deciding = false;
      });
  });
}

/** The question asked before quitting while strategies run; true means quit anyway. */
export async function confirmQuitWhileRunning(parent?: BrowserWindow): Promise<boolean> {
  const options: MessageBoxOptions = {
    type: "warning",
    buttons: ["Quit", "Cancel"],
    defaultId: 1,
    cancelId: 1,
    message: "Strategies are running",
    detail: "Quitting stops them, and core with them. Quit anyway?",
  };
  const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  return response === 0;
}
