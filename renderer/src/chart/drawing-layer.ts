/**
 * Drawings on the price pane as a lightweight-charts series primitive: trend lines, horizontal
 * lines, rectangles and Fibonacci retracements, anchored at (bar time, price) and placed through
 * the window's logical indices ({@link logicalAt}), so they survive window shifts, log and percent
 * scales. With a tool chosen, clicks on the price pane collect its points (the crosshair shows a
 * preview after the first); the finished drawing goes to `onCreate`. Clicks are the container's
 * own pointer events, not the library's click: it swallows a second click within its double-click
 * time, which is how quickly a trader sets a trend line's second point. A drag (pan) is no click. Drawing costs a few canvas
 * strokes per drawing per frame; nothing is recomputed on live ticks.
 */
import type { IChartApi, IPrimitivePaneRenderer, IPrimitivePaneView, ISeriesApi, ISeriesPrimitive, Logical, MouseEventParams, SeriesAttachedParameter, Time } from "lightweight-charts";
import { anchorsNeeded, fibLevels, logicalAt, makeDrawing, timeAt, type ChartDrawing, type DrawingAnchor, type DrawingKind } from "./drawings.ts";

type Target = Parameters<IPrimitivePaneRenderer["draw"]>[0];
type Ctx = CanvasRenderingContext2D;

/** Colors of the drawings. */
export interface DrawingColors {
  line: string;
  fill: string;
  text: string;
}

/** The drawings of one chart and the tool being used. */
export class DrawingLayer implements ISeriesPrimitive<Time> {
  private drawings: readonly ChartDrawing[] = [];
  private preview: ChartDrawing | null = null;
  private points: DrawingAnchor[] = [];
  private tool: DrawingKind | null = null;
  private attachedTo: SeriesAttachedParameter<Time> | null = null;
  private readonly view: IPrimitivePaneView = { zOrder: () => "top", renderer: () => ({ draw: (target) => this.draw(target) }) };

  private readonly chart: IChartApi;
  private readonly series: ISeriesApi<"Candlestick">;
  /** Times (UTC s) of the window's bars, oldest first. */
  private readonly times: () => ArrayLike<number>;
  private readonly onCreate: (drawing: ChartDrawing) => void;
  private readonly container: HTMLElement;
  private colors: DrawingColors;
  /** Where the pointer went down (client px), to tell a click from a drag. */
  private downAt: { x: number; y: number } | null = null;

  /** Attaches to `series` (the price pane's candles) in the chart's `container`; `times` gives the window's bar times (UTC s). */
  constructor(chart: IChartApi, container: HTMLElement, series: ISeriesApi<"Candlestick">, times: () => ArrayLike<number>, onCreate: (drawing: ChartDrawing) => void, colors: DrawingColors) {
    this.chart = chart;
    this.container = container;
    this.series = series;
    this.times = times;
    this.onCreate = onCreate;
    this.colors = colors;
    series.attachPrimitive(this);
    container.addEventListener("pointerdown", this.onDown);
    container.addEventListener("pointerup", this.onUp);
    chart.subscribeCrosshairMove(this.onMove);
  }

  /** Detaches the primitive and its listeners. */
  dispose(): void {
    this.container.removeEventListener("pointerdown", this.onDown);
    this.container.removeEventListener("pointerup", this.onUp);
    this.chart.unsubscribeCrosshairMove(this.onMove);
    this.series.detachPrimitive(this);
  }

  /** @internal lightweight-charts: the primitive was attached. */
  attached(param: SeriesAttachedParameter<Time>): void {
    this.attachedTo = param;
  }

  /** @internal lightweight-charts: the primitive was detached. */
  detached(): void {
    this.attachedTo = null;
  }

  /** @internal lightweight-charts: the views drawn on the pane. */
  paneViews(): readonly IPrimitivePaneView[] {
    return [this.view];
  }

  /** Shows these drawings. */
  setDrawings(drawings: readonly ChartDrawing[]): void {
    this.drawings = drawings;
    this.redraw();
  }

  /** Chooses the tool (null: none); points collected for the previous tool are dropped. */
  setTool(tool: DrawingKind | null): void {
    this.tool = tool;
    this.points = [];
    this.preview = null;
    this.redraw();
  }

  /** Applies theme colors. */
  setColors(colors: DrawingColors): void {
    this.colors = colors;
    this.redraw();
  }

  private redraw(): void {
    this.attachedTo?.requestUpdate();
  }

  /** The (time, price) at a point of the price pane (px from the chart's top left), or null off it. */
  private anchorAt(x: number, y: number): DrawingAnchor | null {
    const height = this.chart.panes()[0]?.getHeight() ?? 0;
    if (y < 0 || y > height || x < 0 || x > this.chart.timeScale().width()) return null;
    const logical = this.chart.timeScale().coordinateToLogical(x);
    const time = logical === null ? null : timeAt(this.times(), logical);
    const price = this.series.coordinateToPrice(y);
    return time === null || price === null ? null : { time: time * 1000, price };
  }

  private readonly onDown = (e: PointerEvent): void => {
    this.downAt = { x: e.clientX, y: e.clientY };
  };

  private readonly onUp = (e: PointerEvent): void => {
    const down = this.downAt;
    this.downAt = null;
    if (!this.tool || !down || Math.abs(e.clientX - down.x) + Math.abs(e.clientY - down.y) > 4) return;
    const box = this.container.getBoundingClientRect();
    const at = this.anchorAt(e.clientX - box.left, e.clientY - box.top);
    if (!at) return;
    this.points.push(at);
    if (this.points.length < anchorsNeeded(this.tool)) return;
    const drawing = makeDrawing(this.tool, this.points, `d${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`);
    this.points = [];
    this.preview = null;
    if (drawing) this.onCreate(drawing);
  };

  private readonly onMove = (param: MouseEventParams<Time>): void => {
    if (!this.tool || this.points.length === 0) return;
    const at = param.point ? this.anchorAt(param.point.x, param.point.y) : null;
    this.preview = at ? makeDrawing(this.tool, [this.points[0]!, at], "preview") : null;
    this.redraw();
  };

  /** Pixel position of an anchor (media coordinates), or null off the scales. */
  private xy(a: DrawingAnchor): { x: number; y: number } | null {
    const logical = logicalAt(this.times(), a.time / 1000);
    if (logical === null) return null;
    const x = this.chart.timeScale().logicalToCoordinate(logical as Logical);
    const y = this.series.priceToCoordinate(a.price);
    return x === null || y === null ? null : { x, y };
  }

  private draw(target: Target): void {
    const list = this.preview ? [...this.drawings, this.preview] : this.drawings;
    if (list.length === 0) return;
    target.useMediaCoordinateSpace(({ context, mediaSize }) => {
      context.lineWidth = 1;
      context.strokeStyle = this.colors.line;
      context.fillStyle = this.colors.fill;
      context.font = "11px sans-serif";
      for (const d of list) this.drawOne(context, d, mediaSize.width);
    });
  }

  private drawOne(ctx: Ctx, d: ChartDrawing, width: number): void {
    const a = this.xy(d.a), b = this.xy(d.b);
    if (!a || !b) return;
    if (d.kind === "hline") return line(ctx, 0, a.y, width, a.y);
    if (d.kind === "trend") return line(ctx, a.x, a.y, b.x, b.y);
    if (d.kind === "rect") {
      ctx.fillRect(Math.min(a.x, b.x), Math.min(a.y, b.y), Math.abs(b.x - a.x), Math.abs(b.y - a.y));
      ctx.strokeRect(Math.min(a.x, b.x), Math.min(a.y, b.y), Math.abs(b.x - a.x), Math.abs(b.y - a.y));
      return;
    }
    const left = Math.min(a.x, b.x), right = Math.max(a.x, b.x);
    for (const { level, price } of fibLevels(d.a, d.b)) {
      const y = this.series.priceToCoordinate(price);
      if (y === null) continue;
      line(ctx, left, y, right, y);
      const fill = ctx.fillStyle;
      ctx.fillStyle = this.colors.text;
      ctx.fillText(`${level} (${this.series.priceFormatter().format(price)})`, left + 2, y - 2);
      ctx.fillStyle = fill;
    }
  }
}

function line(ctx: Ctx, x1: number, y1: number, x2: number, y2: number): void {
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x2, y2);
  ctx.stroke();
}
