/** The heatmap of a two-param sweep (`heatmap.ts`): total return per cell, red (worst) to green (best). */
import { useMemo } from "react";
import { escapeControls } from "../../../common/text/escape.ts";
import { figureReturn } from "../lib/figures.ts";
import { themeColors } from "../lib/theme-colors.ts";
import type { SweepResult } from "../stores/backtest.ts";
import { heatShare, sweepHeatmap } from "./heatmap.ts";

/** The heatmap, or nothing unless exactly two params vary. */
export function SweepHeatmap({ sweep }: { sweep: SweepResult }): React.JSX.Element | null {
  const map = useMemo(() => sweepHeatmap(sweep.rows, "totalReturn"), [sweep.rows]);
  if (!map) return null;
  const c = themeColors();
  const color = (v: number): string => `color-mix(in srgb, ${c.up} ${Math.round(heatShare(map, v) * 100)}%, ${c.down})`;
  return (
    <table className="heatmap" data-testid="sweep-heatmap" aria-label={`Total return by ${map.x} and ${map.y}`}>
      <thead>
        <tr>
          <th>{`${escapeControls(map.y)} ↓ · ${escapeControls(map.x)} →`}</th>
          {map.xs.map((x) => <th key={String(x)}>{escapeControls(String(x))}</th>)}
        </tr>
      </thead>
      <tbody>
        {map.ys.map((y, i) => (
          <tr key={String(y)}>
            <th>{escapeControls(String(y))}</th>
            {map.cells[i]!.map((v, j) => (
              <td key={j} data-testid="heatmap-cell" style={v === null ? undefined : { background: color(v) }}>{v === null ? "—" : figureReturn(v)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
