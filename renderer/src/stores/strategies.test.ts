import { beforeEach, describe, expect, it, vi } from "vitest";
import type { StrategyDetail } from "../../../common/api/ui.ts";

const calls: Array<[string, unknown]> = [];
const replies = new Map<string, (params: Record<string, unknown>) => unknown>();

vi.mock("./connection.ts", () => ({
  api: {
    call: async (method: string, params: Record<string, unknown>) => {
      calls.push([method, params]);
      const reply = replies.get(method);
      if (!reply) throw new Error(`unexpected ${method}`);
      return reply(params);
    },
  },
}));
vi.stubGlobal("localStorage", { getItem: () => null, setItem: () => undefined });

const { useStrategies } = await import("./strategies.ts");
const { draftChanged } = await import("../editor/draft.ts");

const detail = (id: number, name: string, source: string, latestVersion = 1): StrategyDetail => ({
  id, name, source, latestVersion, updatedAt: 0, versions: [{ version: latestVersion, createdAt: 0, note: null }],
});

beforeEach(() => {
  calls.length = 0;
  replies.clear();
  replies.set("ui.strategies.list", () => []);
  useStrategies.setState({ current: detail(1, "Trend", "saved", 3), name: "Trend", draft: "edited", error: null });
});

describe("strategies store", () => {
  it("duplicates the draft, unsaved edits included, as a new strategy", async () => {
    replies.set("ui.strategies.save", (p) => detail(2, String(p.name), String(p.source)));
    expect(await useStrategies.getState().duplicate("Trend copy")).toBe(true);
    expect(calls[0]).toEqual(["ui.strategies.save", { name: "Trend copy", source: "edited", note: "copy of Trend v3 with unsaved edits" }]);
    expect(useStrategies.getState()).toMatchObject({ name: "Trend copy", draft: "edited", current: { id: 2, source: "edited" } });
  });

  it("renames without pretending the draft was saved", async () => {
    replies.set("ui.strategies.rename", (p) => detail(1, String(p.name), "saved", 3));
    expect(await useStrategies.getState().rename("Trend 2")).toBe(true);
    const s = useStrategies.getState();
    expect(s).toMatchObject({ name: "Trend 2", draft: "edited", current: { source: "saved" } });
    expect(draftChanged(s.draft, s.current, [])).toBe(true);
  });

  it("resolves to false with core's reason when a save is refused", async () => {
    replies.set("ui.strategies.save", () => {
      throw new Error('a strategy named "Trend" already exists');
    });
    expect(await useStrategies.getState().save()).toBe(false);
    expect(useStrategies.getState()).toMatchObject({ error: 'a strategy named "Trend" already exists', draft: "edited", current: { id: 1 } });
  });
});
