/** One paper strategy's P&L curve (equity at each bar's close) and its last log lines. */
import type { SessionView } from "../../../common/api/trading.ts";
import { escapeControls } from "../../../common/text/escape.ts";

/** The equity curve as an SVG polyline scaled to its own range. */
function Curve({ points }: { points: number[] }): React.JSX.Element | null {
  if (points.length < 2) return null;
  const min = Math.min(...points);
  const max = Math.max(...points);
  const span = max - min || 1;
  const d = points.map((p, i) => `${((i / (points.length - 1)) * 300).toFixed(1)},${(60 - ((p - min) / span) * 60).toFixed(1)}`).join(" ");
  const up = points[points.length - 1]! >= points[0]!;
  return (
    <svg viewBox="0 0 300 60" preserveAspectRatio="none" className="pnl-curve" role="img" aria-label="P&L curve">
      <polyline points={d} fill="none" stroke={up ? "var(--up)" : "var(--down)"} strokeWidth="1.5" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

/** The selected session's curve and log. */
export function SessionDetail({ session }: { session: SessionView }): React.JSX.Element {
  return (
    <div className="session-detail" data-testid="session-detail">
      <Curve points={session.equityCurve} />
      {session.error ? <p className="error">{escapeControls(session.error)}</p> : null}
      <pre className="session-log">{session.log.map((l) => escapeControls(l)).join("\n") || "(no log lines yet)"}</pre>
    </div>
  );
}
