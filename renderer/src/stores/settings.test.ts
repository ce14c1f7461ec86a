import { beforeEach, describe, expect, it, vi } from "vitest";
import { applySettingsPatch, DEFAULT_UI_SETTINGS, type UiSettingsView } from "../../../common/api/ui.ts";

type Params = Record<string, unknown>;
/** Core's copy of the settings, and the answers held back until a test releases them. */
let core: UiSettingsView;
const held: Array<() => void> = [];
/** Updates core refuses: all, or those whose patch has this key. */
let refuse: boolean | string = false;

vi.mock("./connection.ts", () => {
  return {
    api: {
      subscribe: () => () => undefined,
      call: (method: string, params: Params) =>
        new Promise((resolve, reject) => {
          if (method === "ui.settings.get") return resolve(core);
          held.push(() => {
            if (refuse === true || (typeof refuse === "string" && refuse in params)) return reject(new Error("venue symbols: invalid"));
            core = applySettingsPatch(core, params);
            resolve(core);
          });
        }),
    },
  };
});
vi.stubGlobal("localStorage", { getItem: () => null, setItem: () => undefined });
vi.stubGlobal("document", { documentElement: { dataset: {} } });

const { useSettings } = await import("./settings.ts");
const { useTheme } = await import("./theme.ts");

const venues = [
  { id: "kraken", enabled: false, symbols: ["BTC/USD"] },
  { id: "binance", enabled: false, symbols: ["BTC/USDT"] },
];
const toggle = (id: string): Promise<void> =>
  useSettings.getState().update({ venues: useSettings.getState().settings.venues.map((v) => (v.id === id ? { ...v, enabled: !v.enabled } : v)) });
const flush = async (): Promise<void> => {
  for (let next = held.shift(); next; next = held.shift()) {
    next();
    await new Promise((r) => setTimeout(r, 0));
  }
};

beforeEach(() => {
  core = { ...DEFAULT_UI_SETTINGS, dataDir: "/data", venues };
  refuse = false;
  useSettings.setState({ settings: core, error: null });
});

describe("settings store", () => {
  it("keeps both of two venue switches made before core answered the first", async () => {
    const done = Promise.all([toggle("kraken"), toggle("binance")]);
    expect(useSettings.getState().settings.venues.map((v) => v.enabled)).toEqual([true, true]);
    await flush();
    await done;
    expect(core.venues.map((v) => v.enabled)).toEqual([true, true]);
    expect(useSettings.getState().settings.venues.map((v) => v.enabled)).toEqual([true, true]);
  });

  it("merges a partial backtest patch into the defaults shown at once", async () => {
    const done = useSettings.getState().update({ backtest: { cash: 5000 } });
    expect(useSettings.getState().settings.backtest).toEqual({ ...DEFAULT_UI_SETTINGS.backtest, cash: 5000 });
    await flush();
    await done;
    expect(useSettings.getState().settings.backtest.cash).toBe(5000);
  });

  it("restores core's settings and shows the reason when core refuses an update", async () => {
    refuse = true;
    const done = toggle("kraken");
    expect(useSettings.getState().settings.venues[0]!.enabled).toBe(true);
    await flush();
    await done;
    expect(useSettings.getState().settings.venues[0]!.enabled).toBe(false);
    expect(useSettings.getState().error).toBe("venue symbols: invalid");
  });

  it("keeps a refused update's reason when a later one in flight succeeds", async () => {
    refuse = "venues";
    const done = Promise.all([toggle("kraken"), useSettings.getState().update({ timeZone: "Europe/Berlin" })]);
    await flush();
    await done;
    expect(useSettings.getState().error).toBe("venue symbols: invalid");
    expect(useSettings.getState().settings).toMatchObject({ timeZone: "Europe/Berlin", venues: venues });
  });

  it("puts the page's theme back when core refuses a theme change", async () => {
    useTheme.getState().set("dark");
    refuse = true;
    const done = useSettings.getState().update({ theme: "light" });
    expect(useTheme.getState().theme).toBe("light");
    await flush();
    await done;
    expect(useSettings.getState().settings.theme).toBe("dark");
    expect(useTheme.getState().theme).toBe("dark");
  });
});
