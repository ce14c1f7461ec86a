/** "Alert when <indicator> <op> <value>" inside an indicator chip's menu: adds an indicator alert on the chart's instrument. */
import { useState } from "react";
import type { CrossOp } from "../../../common/alerts/types.ts";
import type { IndicatorConfig } from "../chart/types.ts";
import { askNotificationPermission, useAlerts } from "../stores/alerts.ts";
import { useChart } from "../stores/chart.ts";
import { indicatorRule } from "./alert-rules.ts";

const OPS: readonly CrossOp[] = ["crosses", "crosses_up", "crosses_down", "above", "below"];
const DEFAULT_LEVEL: Record<IndicatorConfig["kind"], string> = { rsi: "30", macd: "0", sma: "", ema: "", bbands: "" };

/** The alert form of one indicator chip. */
export function IndicatorAlert({ config }: { config: IndicatorConfig }): React.JSX.Element | null {
  const { instrument, timeframe } = useChart();
  const [op, setOp] = useState<CrossOp>("crosses");
  const [level, setLevel] = useState(DEFAULT_LEVEL[config.kind]);
  const [note, setNote] = useState<string | null>(null);
  if (!instrument) return null;
  const value = Number(level);
  const valid = level.trim() !== "" && Number.isFinite(value);
  const add = async (): Promise<void> => {
    askNotificationPermission();
    const failed = await useAlerts.getState().add(indicatorRule(instrument, timeframe, config, op, value));
    setNote(failed ?? "alert added");
  };
  return (
    <div className="chip-alert">
      <span>Alert when</span>
      <select aria-label="Alert condition" value={op} onChange={(e) => setOp(e.target.value as CrossOp)}>
        {OPS.map((o) => <option key={o} value={o}>{o.replace("_", " ")}</option>)}
      </select>
      <input aria-label="Alert level" inputMode="decimal" size={8} value={level} onChange={(e) => setLevel(e.target.value)} />
      <button type="button" disabled={!valid} onClick={() => void add()}>Add alert</button>
      {note ? <span className="muted">{note}</span> : null}
    </div>
  );
}
