/**
 * Painting the book's levels and the trades tape as rows of text on a canvas.
 *
 * Why a canvas: as DOM rows, every update of the book or the tape (ten a second per panel) cost
 * style, layout and new text fragments for each changed row, inside the frames the chart also
 * draws in: under a 10k msgs/s feed, 154 layouts of ≥ 2 ms in 90 s (4 with the canvases), and the
 * heaviest frames were those with a major garbage collection on top. A canvas repaint is a few
 * dozen fills and texts, with no layout.
 *
 * Rows are fixed-height strips; the asks are drawn bottom-up (the best ask next to the spread),
 * the bids and the tape top-down. Depth bars grow from the right edge, as in the DOM version.
 */
import { padPrice, type BookRow, type TapeTrade } from "./model.ts";

/** Height of a book or tape row (CSS px). */
export const ROW_PX = 18;
/** Horizontal padding inside a row (CSS px). */
const PAD_PX = 4;
/** Opacity of the depth bars, and of the levels while the book resyncs. */
const DEPTH_ALPHA = 0.2;
const RESYNC_ALPHA = 0.4;

/** What painting needs of a 2D context (a fake one in tests). */
export type PaintContext = Pick<CanvasRenderingContext2D, "fillRect" | "fillText" | "clearRect" | "measureText" | "fillStyle" | "globalAlpha" | "textAlign" | "textBaseline" | "font">;

/** The colours rows are painted with (the theme's). */
export interface RowColors {
  text: string;
  muted: string;
  up: string;
  down: string;
}

/** The box painted into (CSS px). */
export interface PaintBox {
  width: number;
  height: number;
}

/**
 * The rows' font: monospaced, so digits line up in columns (a canvas cannot ask for the DOM's
 * `tabular-nums`, and some system fonts have proportional digits).
 */
const ROW_FONT = '12px ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace';
/** The widest time the tape shows ("HH:MM:SS"), for its column. */
const CLOCK_SAMPLE = "00:00:00";

function prepare(g: PaintContext, box: PaintBox): void {
  g.clearRect(0, 0, box.width, box.height);
  g.font = ROW_FONT;
  g.textBaseline = "middle";
  g.globalAlpha = 1;
}

/**
 * Paints one side of the book: `rows` best first; asks from the bottom up, prices with the series'
 * `decimals`. Returns how many rows were painted (those the box can show).
 */
export function paintBookSide(g: PaintContext, box: PaintBox, rows: readonly BookRow[], side: "bid" | "ask", colors: RowColors, resyncing: boolean, decimals = 0): number {
  prepare(g, box);
  const shown = Math.min(rows.length, Math.ceil(box.height / ROW_PX));
  const color = side === "bid" ? colors.up : colors.down;
  const alpha = resyncing ? RESYNC_ALPHA : 1;
  for (let i = 0; i < shown; i++) {
    const row = rows[i]!;
    const top = side === "bid" ? i * ROW_PX : box.height - (i + 1) * ROW_PX;
    const bar = Math.max(0, Math.min(1, row.depth)) * box.width;
    g.globalAlpha = DEPTH_ALPHA * alpha;
    g.fillStyle = color;
    g.fillRect(box.width - bar, top, bar, ROW_PX);
    g.globalAlpha = alpha;
    g.textAlign = "left";
    g.fillText(padPrice(row.price, decimals), PAD_PX, top + ROW_PX / 2);
    g.fillStyle = colors.text;
    g.textAlign = "right";
    g.fillText(row.size, box.width - PAD_PX, top + ROW_PX / 2);
  }
  return shown;
}

/** Paints the tape (newest first): price (with the series' `decimals`) in the side's colour, size, and the time. Returns the rows painted. */
export function paintTape(g: PaintContext, box: PaintBox, trades: readonly TapeTrade[], clock: (ts: number) => string, colors: RowColors, decimals = 0): number {
  prepare(g, box);
  const shown = Math.min(trades.length, Math.ceil(box.height / ROW_PX));
  const timeWidth = g.measureText(CLOCK_SAMPLE).width;
  const sizeRight = Math.max(box.width / 2, box.width - PAD_PX - timeWidth - 12);
  for (let i = 0; i < shown; i++) {
    const t = trades[i]!;
    const y = i * ROW_PX + ROW_PX / 2;
    g.fillStyle = t.side === "buy" ? colors.up : colors.down;
    g.textAlign = "left";
    g.fillText(padPrice(t.price, decimals), PAD_PX, y);
    g.textAlign = "right";
    g.fillText(t.size, sizeRight, y);
    g.fillStyle = colors.muted;
    g.fillText(clock(t.ts), box.width - PAD_PX, y);
  }
  return shown;
}
