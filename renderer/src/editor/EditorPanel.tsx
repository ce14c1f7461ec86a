/**
 * The strategy editor panel: the strategy list and templates, save (a new version), rename,
 * duplicate, delete, diff against an earlier version, the Monaco editor and the run form.
 */
import { lazy, Suspense, useEffect, useState } from "react";
import { onAction } from "../lib/shortcuts.ts";
import { Panel } from "../panels/Placeholder.tsx";
import { restoreOpenStrategy, useStrategies } from "../stores/strategies.ts";
import { BacktestForm } from "./BacktestForm.tsx";
import { CodeEditor } from "./CodeEditor.tsx";
import { TEMPLATES } from "../../../common/strategy/templates.ts";

const DiffDialog = lazy(() => import("./DiffDialog.tsx"));

function Toolbar({ onDiff }: { onDiff(): void }): React.JSX.Element {
  const { list, current, name, draft, typeErrors } = useStrategies();
  const s = useStrategies.getState();
  const dirty = !current || current.source !== draft;
  const ask = (label: string, value: string): string | null => {
    const v = window.prompt(label, value);
    return v && v.trim() ? v.trim() : null;
  };
  return (
    <div className="editor-toolbar">
      <select aria-label="Open strategy" data-testid="strategy-select" value={current ? String(current.id) : ""} onChange={(e) => e.target.value && void s.open(Number(e.target.value))}>
        <option value="">{current ? "—" : `${name} (unsaved)`}</option>
        {list.map((x) => <option key={x.id} value={x.id}>{x.name} · v{x.latestVersion}</option>)}
      </select>
      <select aria-label="New from template" data-testid="template-select" value="" onChange={(e) => e.target.value && s.fromTemplate(e.target.value)}>
        <option value="">New from template…</option>
        {TEMPLATES.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
      </select>
      <button type="button" data-testid="strategy-save" onClick={() => void s.save()} title="Save a new version (Ctrl+S)">{dirty ? "Save*" : "Saved"}</button>
      <button type="button" onClick={() => { const n = ask("Rename strategy", name); if (n) void s.rename(n); }}>Rename</button>
      <button type="button" disabled={!current} onClick={() => { const n = ask("Name of the copy", `${name} copy`); if (n) void s.duplicate(n); }}>Duplicate</button>
      <button type="button" disabled={!current || current.latestVersion < 1} onClick={onDiff}>Diff</button>
      <button type="button" disabled={!current} onClick={() => window.confirm(`Delete ${name} and all its versions?`) && void s.remove()}>Delete</button>
      <span className={typeErrors > 0 ? "type-errors down" : "type-errors muted"} data-testid="editor-errors" data-count={typeErrors}>
        {typeErrors > 0 ? `${typeErrors} type error${typeErrors > 1 ? "s" : ""}` : "no type errors"}
      </span>
    </div>
  );
}

/** The editor panel. */
export function EditorPanel({ style }: { style?: React.CSSProperties }): React.JSX.Element {
  const error = useStrategies((s) => s.error);
  const [diff, setDiff] = useState(false);
  useEffect(() => void restoreOpenStrategy(), []);
  useEffect(() => onAction("save", () => void useStrategies.getState().save()), []);
  return (
    <Panel title="Strategy editor" area="editor" style={style} fill>
      <Toolbar onDiff={() => setDiff(true)} />
      {error ? <p className="error editor-error">{error}</p> : null}
      <div className="editor-body">
        <CodeEditor />
        <BacktestForm />
      </div>
      {diff ? <Suspense fallback={null}><DiffDialog onClose={() => setDiff(false)} /></Suspense> : null}
    </Panel>
  );
}
