import { describe, expect, it } from "vitest";
import type { BookRow, TapeTrade } from "./model.ts";
import { ROW_PX, paintBookSide, paintTape, type PaintContext } from "./rows-paint.ts";

interface Drawn {
  text?: string;
  rect?: [number, number, number, number];
  x: number;
  y: number;
  color: string;
  alpha: number;
  align: string;
}

/** A 2D context that records what was drawn, with the state at the time. */
function recorder(): { g: PaintContext; drawn: Drawn[] } {
  const drawn: Drawn[] = [];
  const g = {
    fillStyle: "",
    globalAlpha: 1,
    textAlign: "start",
    textBaseline: "alphabetic",
    font: "",
    clearRect: () => drawn.splice(0),
    measureText: (t: string) => ({ width: t.length * 6 }),
    fillText(text: string, x: number, y: number) {
      drawn.push({ text, x, y, color: String(this.fillStyle), alpha: this.globalAlpha, align: this.textAlign });
    },
    fillRect(x: number, y: number, w: number, h: number) {
      drawn.push({ rect: [x, y, w, h], x, y, color: String(this.fillStyle), alpha: this.globalAlpha, align: this.textAlign });
    },
  };
  return { g: g as unknown as PaintContext, drawn };
}

const colors = { text: "T", muted: "M", up: "U", down: "D" };
const row = (price: string, size: string, depth: number): BookRow => ({ price, size, cum: 0, depth });
const texts = (drawn: Drawn[]): string[] => drawn.flatMap((d) => (d.text === undefined ? [] : [d.text]));

describe("paintBookSide", () => {
  it("paints bids best first from the top, prices with the series' decimals, with a depth bar from the right edge", () => {
    const { g, drawn } = recorder();
    const shown = paintBookSide(g, { width: 200, height: 100 }, [row("100.5", "2", 0.25), row("100.0", "1", 1)], "bid", colors, false, 2);
    expect(shown).toBe(2);
    expect(texts(drawn)).toEqual(["100.50", "2", "100.00", "1"]);
    const [bar] = drawn;
    expect(bar!.rect).toEqual([150, 0, 50, ROW_PX]);
    expect([bar!.color, bar!.alpha]).toEqual(["U", 0.2]);
    const price = drawn.find((d) => d.text === "100.50")!;
    expect([price.color, price.align, price.y]).toEqual(["U", "left", ROW_PX / 2]);
    expect(drawn.find((d) => d.text === "2")!.align).toBe("right");
  });

  it("paints asks from the bottom up (best next to the spread) and only the rows that fit", () => {
    const { g, drawn } = recorder();
    const rows = Array.from({ length: 20 }, (_, i) => row(String(101 + i), "1", i / 20));
    const shown = paintBookSide(g, { width: 200, height: 2.5 * ROW_PX }, rows, "ask", colors, false);
    expect(shown).toBe(3);
    const best = drawn.find((d) => d.text === "101")!;
    expect([best.color, best.y]).toEqual(["D", 2.5 * ROW_PX - ROW_PX / 2]);
    expect(texts(drawn).filter((t, i) => i % 2 === 0)).toEqual(["101", "102", "103"]);
  });

  it("dims every level while the book resyncs", () => {
    const { g, drawn } = recorder();
    paintBookSide(g, { width: 200, height: 100 }, [row("1", "1", 0.5)], "bid", colors, true);
    expect(drawn.every((d) => d.alpha < 1)).toBe(true);
  });
});

describe("paintTape", () => {
  it("paints the newest trades first in their side's colour, with the time right-aligned", () => {
    const { g, drawn } = recorder();
    const trades: TapeTrade[] = [
      { price: "10", size: "1", side: "buy", ts: 2, id: "b" },
      { price: "9", size: "3", side: "sell", ts: 1, id: "a" },
    ];
    expect(paintTape(g, { width: 300, height: 200 }, trades, (ts) => `t${ts}`, colors)).toBe(2);
    expect(texts(drawn)).toEqual(["10", "1", "t2", "9", "3", "t1"]);
    expect(drawn.map((d) => d.color)).toEqual(["U", "U", "M", "D", "D", "M"]);
    expect(drawn.find((d) => d.text === "t2")).toMatchObject({ x: 296, align: "right" });
  });
});
