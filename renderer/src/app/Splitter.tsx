/**
 * A draggable (and keyboard-adjustable) divider between panels. It changes one size of the
 * layout store: pixels for the side columns and the bottom row, a share for the editor.
 */
import { useCallback } from "react";
import { useLayout, type SizeKey } from "../stores/layout.ts";

/** Props of {@link Splitter}. */
export interface SplitterProps {
  size: SizeKey;
  /** "col" divides side by side (drag left/right), "row" divides top and bottom. */
  orientation: "col" | "row";
  /** +1 when dragging right/down grows the size, -1 when it shrinks it. */
  direction: 1 | -1;
  label: string;
}

const STEP_PX = 16;

/** The splitter. */
export function Splitter({ size, orientation, direction, label }: SplitterProps): React.JSX.Element {
  const value = useLayout((s) => s[size]);
  const resize = useLayout((s) => s.resize);
  const toValue = useCallback(
    (deltaPx: number, parent: HTMLElement | null, start: number): number => {
      if (size !== "editorShare") return start + direction * deltaPx;
      const width = parent?.clientWidth ?? 1;
      return start + (direction * deltaPx) / Math.max(1, width);
    },
    [size, direction],
  );
  const onPointerDown = (ev: React.PointerEvent<HTMLDivElement>): void => {
    const el = ev.currentTarget;
    const parent = el.parentElement;
    const start = useLayout.getState()[size];
    const origin = orientation === "col" ? ev.clientX : ev.clientY;
    el.setPointerCapture(ev.pointerId);
    const move = (e: PointerEvent): void => resize(size, toValue((orientation === "col" ? e.clientX : e.clientY) - origin, parent, start));
    const up = (): void => {
      el.removeEventListener("pointermove", move);
      el.removeEventListener("pointerup", up);
    };
    el.addEventListener("pointermove", move);
    el.addEventListener("pointerup", up);
  };
  const onKeyDown = (ev: React.KeyboardEvent<HTMLDivElement>): void => {
    const back = orientation === "col" ? "ArrowLeft" : "ArrowUp";
    const fwd = orientation === "col" ? "ArrowRight" : "ArrowDown";
    if (ev.key !== back && ev.key !== fwd) return;
    ev.preventDefault();
    resize(size, toValue(ev.key === fwd ? STEP_PX : -STEP_PX, ev.currentTarget.parentElement, value));
  };
  return (
    <div
      className={`splitter splitter-${orientation}`}
      role="separator"
      aria-orientation={orientation === "col" ? "vertical" : "horizontal"}
      aria-label={label}
      aria-valuenow={Math.round(size === "editorShare" ? value * 100 : value)}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
