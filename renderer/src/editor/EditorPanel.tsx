/**
 * The strategy editor panel: the strategy list and templates, save (a new version), rename,
 * duplicate, delete, diff against an earlier version (editor/Toolbar.tsx), the Monaco editor and
 * the run form (collapsible; its Run button stays), and the problems list. Deploy → Paper and "Alert on
 * signals" (alerts/StrategyAlert.tsx) sit in its header. The panel can be maximised over the
 * workstation or detached into a window of its own (`?view=editor`).
 */
import { lazy, Suspense, useEffect, useState } from "react";
import { escapeControls } from "../../../common/text/escape.ts";
import { openNewWindow } from "../bridge.ts";
import { Panel } from "../panels/Placeholder.tsx";
import { useConnection } from "../stores/connection.ts";
import { restoreOpenStrategy, useStrategies } from "../stores/strategies.ts";
import { BacktestForm } from "./BacktestForm.tsx";
import { CodeEditor } from "./CodeEditor.tsx";
import { ProblemsList } from "./ProblemsList.tsx";
import { Toolbar } from "./Toolbar.tsx";
import { useEditorView } from "./view.ts";
import { DeployPaper } from "../trading/DeployPaper.tsx";
import { DeployLive } from "../trading/DeployLive.tsx";
import { StrategyAlertButton } from "../alerts/StrategyAlert.tsx";

const DiffDialog = lazy(() => import("./DiffDialog.tsx"));

/** Deploy → Paper, maximise / restore, detach (not in the detached window itself) and the run form's toggle. */
function EditorActions({ detached }: { detached: boolean }): React.JSX.Element {
  const { maximised, formOpen, toggleMaximised, toggleForm } = useEditorView();
  return (
    <>
      <StrategyAlertButton />
      <DeployPaper />
      <DeployLive />
      <button type="button" data-testid="editor-form-toggle" aria-pressed={formOpen} onClick={toggleForm} title="Show or hide the run form's fields">{formOpen ? "Hide form" : "Show form"}</button>
      {detached ? null : <button type="button" data-testid="editor-maximise" aria-pressed={maximised} onClick={toggleMaximised}>{maximised ? "Restore" : "Maximise"}</button>}
      {detached ? null : <button type="button" data-testid="editor-detach" onClick={() => openNewWindow("editor")} title="Open the editor in a window of its own">Detach</button>}
    </>
  );
}

/** The editor panel; `detached` when it is the whole window. */
export function EditorPanel({ style, detached = false }: { style?: React.CSSProperties; detached?: boolean }): React.JSX.Element {
  const error = useStrategies((s) => s.error);
  const [diff, setDiff] = useState(false);
  // Read again after core comes back: a page opened while core was down has no library yet.
  const reconnects = useConnection((s) => s.reconnects);
  useEffect(() => void restoreOpenStrategy(), [reconnects]);
  return (
    <Panel title="Strategy editor" area="editor" style={style} fill actions={<EditorActions detached={detached} />}>
      <Toolbar onDiff={() => setDiff(true)} />
      {error ? <p className="error editor-error">{escapeControls(error)}</p> : null}
      <div className="editor-body">
        <CodeEditor />
        <BacktestForm />
      </div>
      <ProblemsList />
      {diff ? <Suspense fallback={null}><DiffDialog onClose={() => setDiff(false)} /></Suspense> : null}
    </Panel>
  );
}
