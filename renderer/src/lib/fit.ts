/**
 * Rows that fit: a live list of fixed-height rows (the book's levels, the trades tape) renders only
 * the rows its box can show. Rows below the fold would still be styled and laid out on every
 * update, and nobody sees them.
 */
import { useLayoutEffect, useState } from "react";

/** How many rows of `rowPx` it takes to fill `heightPx` (a partly shown last row counts), at most `max`. */
export function rowsThatFit(heightPx: number, rowPx: number, max: number): number {
  if (!(heightPx > 0) || !(rowPx > 0)) return 0;
  return Math.min(max, Math.ceil(heightPx / rowPx));
}

/**
 * The rows of `rowPx` that fit in an element's height, kept current as it resizes; `max` until the
 * element is measured. Returns a ref callback for the element and the row count.
 */
export function useRowsThatFit(rowPx: number, max: number): [(el: HTMLElement | null) => void, number] {
  const [el, setEl] = useState<HTMLElement | null>(null);
  const [rows, setRows] = useState(max);
  useLayoutEffect(() => {
    if (!el) return;
    const measure = (): void => setRows(rowsThatFit(el.clientHeight, rowPx, max));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [el, rowPx, max]);
  return [setEl, rows];
}
