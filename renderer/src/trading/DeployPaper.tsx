/** The editor's "Deploy → Paper": starts the open strategy on paper on the chart's venue, symbol and timeframe. */
import { useChart } from "../stores/chart.ts";
import { useStrategies } from "../stores/strategies.ts";
import { useTrading } from "../stores/trading.ts";

/** The deploy button. */
export function DeployPaper(): React.JSX.Element {
  const instrument = useChart((s) => s.instrument);
  const timeframe = useChart((s) => s.timeframe);
  const deploy = useTrading((s) => s.deploy);
  const label = instrument ? `Deploy → Paper (${instrument.venue} ${instrument.symbol} ${timeframe})` : "Deploy → Paper";
  return (
    <button
      data-testid="deploy-paper"
      disabled={!instrument}
      title={instrument ? "Run this strategy on the live market on paper" : "Open a symbol on the chart first"}
      onClick={() => {
        if (!instrument) return;
        const { draft, name } = useStrategies.getState();
        void deploy(draft, `${name.replace(/[^\w.-]+/g, "-") || "strategy"}.ts`, instrument.venue, instrument.symbol, timeframe);
      }}
    >
      {label}
    </button>
  );
}
