/**
 * The quit guard: quits at once when nothing runs, asks first when strategies run (or when it
 * cannot tell), stops core before quitting, and lets the final quit through.
 */
import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { fakeElectron, fire } from "./fake-electron.ts";
import { confirmQuitWhileRunning, installQuitGuard, strategiesRunning } from "./quit-guard.ts";

vi.mock("electron", async () => (await import("./fake-electron.ts")).fakeElectron);

/** A fake app whose quit() fires before-quit again (as Electron's does) and resolves `quitted`. */
function guardedApp(running: () => Promise<boolean>, answer: boolean) {
  const order: string[] = [];
  let quitted!: () => void;
  const done = new Promise<void>((resolve) => (quitted = resolve));
  const app = Object.assign(new EventEmitter(), {
    quit: () => {
      order.push(fire(app, "before-quit") ? "quit held" : "quit");
      quitted();
    },
  });
  const confirm = vi.fn(async () => {
    order.push("asked");
    return answer;
  });
  const stop = vi.fn(async () => void order.push("core stopped"));
  const errors: unknown[] = [];
  installQuitGuard({ app, running, confirm, stop, onError: (error) => errors.push(error) });
  return { app, order, done, confirm, stop, errors };
}

/** Resolves once every pending promise callback has run. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("quit guard", () => {
  it("answers that nothing runs until core has live strategies", async () => {
    await expect(strategiesRunning()).resolves.toBe(false);
  });

  it("stops core, then quits, when nothing runs", async () => {
    const g = guardedApp(async () => false, false);
    expect(fire(g.app, "before-quit")).toBe(true);
    await g.done;
    expect(g.order).toEqual(["core stopped", "quit"]);
  });

  it("asks when strategies run, and stays when the user cancels", async () => {
    const g = guardedApp(async () => true, false);
    expect(fire(g.app, "before-quit")).toBe(true);
    expect(fire(g.app, "before-quit")).toBe(true);
    await settled();
    expect(g.order).toEqual(["asked"]);
    fire(g.app, "before-quit");
    await settled();
    expect(g.order).toEqual(["asked", "asked"]);
    expect(g.stop).not.toHaveBeenCalled();
  });

  it("quits after the user confirms, and asks when the check fails", async () => {
    const g = guardedApp(async () => Promise.reject(new Error("core unreachable")), true);
    fire(g.app, "before-quit");
    await g.done;
    expect(g.order).toEqual(["asked", "core stopped", "quit"]);
    expect(g.errors).toEqual([new Error("core unreachable")]);
  });

  it("asks with a Quit/Cancel dialog that defaults to Cancel", async () => {
    fakeElectron.dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false });
    await expect(confirmQuitWhileRunning()).resolves.toBe(true);
    await expect(confirmQuitWhileRunning()).resolves.toBe(false);
    expect(fakeElectron.dialog.showMessageBox.mock.calls[0]![0]).toMatchObject({ buttons: ["Quit", "Cancel"], defaultId: 1, cancelId: 1 });
  });
});
