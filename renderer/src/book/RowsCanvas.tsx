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
  /** Classes of the box (its size comes from the layout). */
  className: string;
  /** `data-testid` of the box, which also carries `data-rows`. */
  testId: string;
  /** What the rows say, for assistive technology (the canvas itself is an image). */
  label: string;
  /** A click in the box, at `y` px from its top (the box's size as painted). */
  onClickAt?: (y: number, box: PaintBox) => void;
}

/** The canvas box. */
export function RowsCanvas({ paint, className, testId, label, onClickAt }: RowsCanvasProps): React.JSX.Element {
  const box = useRef<HTMLDivElement | null>(null);
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const [size, setSize] = useState<PaintBox>({ width: 0, height: 0 });
  const [pixelRatio, setPixelRatio] = useState(() => window.devicePixelRatio || 1);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = (): void => setSize((s) => (s.width === el.clientWidth && s.height === el.clientHeight ? s : { width: el.clientWidth, height: el.clientHeight }));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  // A move to a screen of another pixel ratio repaints at once (a quiet tape would stay blurry).
  useLayoutEffect(() => {
    const query = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    const repaint = (): void => setPixelRatio(window.devicePixelRatio || 1);
    query.addEventListener("change", repaint);
    return () => query.removeEventListener("change", repaint);
  }, [pixelRatio]);
  useLayoutEffect(() => {
    const c = canvas.current, g = c?.getContext("2d");
    if (!c || !g || !box.current) return;
    const w = Math.round(size.width * pixelRatio), h = Math.round(size.height * pixelRatio);
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    g.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
    box.current.dataset.rows = String(paint(g, size));
  }, [paint, size, pixelRatio]);
  return (
    <div
      className={`rows-canvas ${className}`}
      data-testid={testId}
      ref={box}
      onClick={onClickAt ? (e) => onClickAt(e.clientY - e.currentTarget.getBoundingClientRect().top, size) : undefined}
    >
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
