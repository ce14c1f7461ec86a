/**
 * A box of painted rows (see `rows-paint.ts`): a canvas filling its container at the screen's
 * pixel ratio, repainted whenever `paint` changes (a new update) or the box is resized. The
 * number of rows painted is kept in the container's `data-rows` (for tests and tools), set
 * directly so a repaint never re-renders React.
 */
import { useLayoutEffect, useRef, useState } from "react";
import type { PaintBox, PaintContext } from "./rows-paint.ts";

/** Props of {@link RowsCanvas}. */
export interface RowsCanvasProps {
  /** Paints into the box; returns how many rows it painted. */
  paint: (g: PaintContext, box: PaintBox) => number;
  className: string;
  testId: string;
  /** What the rows say, for assistive technology (the canvas itself is an image). */
  label: string;
}

/** The canvas box. */
export function RowsCanvas({ paint, className, testId, label }: RowsCanvasProps): React.JSX.Element {
  const box = useRef<HTMLDivElement | null>(null);
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const [size, setSize] = useState<PaintBox>({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = (): void => setSize((s) => (s.width === el.clientWidth && s.height === el.clientHeight ? s : { width: el.clientWidth, height: el.clientHeight }));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  useLayoutEffect(() => {
    const c = canvas.current, g = c?.getContext("2d");
    if (!c || !g || !box.current) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(size.width * dpr), h = Math.round(size.height * dpr);
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    box.current.dataset.rows = String(paint(g, size));
  }, [paint, size]);
  return (
    <div className={`rows-canvas ${className}`} data-testid={testId} ref={box}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
