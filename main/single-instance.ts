/**
 * One workstation per user: a second launch hands over to the first, which focuses its window,
 * and quits (two apps would start two cores on the same data dir).
 */

/** The part of Electron's `app` this needs. */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: "second-instance", listener: () => void): unknown;
}

/**
 * Takes the single-instance lock. The first instance gets true and runs `onSecondLaunch` whenever
 * another launch starts; a second instance gets false and quits.
 */
export function claimSingleInstance(app: SingleInstanceApp, onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on("second-instance", () => onSecondLaunch());
  return true;
}
