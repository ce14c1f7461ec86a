/**
 * The strategy editor panel: the strategy list and templates, save (a new version), rename,
 * duplicate, delete, diff against an earlier version (editor/Toolbar.tsx), the Monaco editor and
 * the run form; Deploy → Paper and "Alert on signals" (alerts/StrategyAlert.tsx) in its header.
 */
import { lazy, Suspense, useEffect, useState } from "react";
import { escapeControls } from "../../../common/text/escape.ts";
import { Panel } from "../panels/Placeholder.tsx";
import { useConnection } from "../stores/connection.ts";
import { restoreOpenStrategy, useStrategies } from "../stores/strategies.ts";
import { BacktestForm } from "./BacktestForm.tsx";
import { CodeEditor } from "./CodeEditor.tsx";
import { Toolbar } from "./Toolbar.tsx";
import { DeployPaper } from "../trading/DeployPaper.tsx";
import { StrategyAlertButton } from "../alerts/StrategyAlert.tsx";

const DiffDialog = lazy(() => import("./DiffDialog.tsx"));

/** The editor panel. */
export function EditorPanel({ style }: { style?: React.CSSProperties }): React.JSX.Element {
  const error = useStrategies((s) => s.error);
  const [diff, setDiff] = useState(false);
  // Read again after core comes back: a page opened while core was down has no library yet.
  const reconnects = useConnection((s) => s.reconnects);
  useEffect(() => void restoreOpenStrategy(), [reconnects]);
  return (
    <Panel title="Strategy editor" area="editor" style={style} fill actions={<><StrategyAlertButton /><DeployPaper /></>}>
      <Toolbar onDiff={() => setDiff(true)} />
      {error ? <p className="error editor-error">{escapeControls(error)}</p> : null}
      <div className="editor-body">
        <CodeEditor />
        <BacktestForm />
      </div>
      {diff ? <Suspense fallback={null}><DiffDialog onClose={() => setDiff(false)} /></Suspense> : null}
    </Panel>
  );
}
