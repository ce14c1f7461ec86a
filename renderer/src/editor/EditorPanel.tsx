/** The strategy editor panel (Monaco, saved strategies, backtest form). */
import { Empty, Panel } from "../panels/Placeholder.tsx";

/** The editor panel. */
export function EditorPanel({ style }: { style?: React.CSSProperties }): React.JSX.Element {
  return (
    <Panel title="Strategy editor" area="editor" style={style}>
      <Empty>Write TypeScript strategies with completion and type checking here.</Empty>
    </Panel>
  );
}
