/**
 * The Monaco editor of the strategy draft, loaded lazily (the chart paints first). Type errors
 * come from Monaco's TypeScript worker against the strategy API declarations; compile and run-time
 * errors reported by core are added as markers at their line. Ctrl+Enter (run) and Ctrl+S (save)
 * are editor commands too, since Monaco keeps the keys it binds to itself. The checker's errors
 * feed the problems list, whose clicks move the cursor here.
 */
import { useEffect, useRef, useState } from "react";
import type * as Monaco from "../editor/monaco.ts";
import { dispatch } from "../lib/shortcuts.ts";
import { useBacktest } from "../stores/backtest.ts";
import { useProblems } from "./problems.ts";
import { useStrategies } from "../stores/strategies.ts";
import { useTheme } from "../stores/theme.ts";

type MonacoModule = typeof Monaco;

/** The code editor. */
export function CodeEditor(): React.JSX.Element {
  const host = useRef<HTMLDivElement | null>(null);
  const [mod, setMod] = useState<MonacoModule | null>(null);
  const [editor, setEditor] = useState<Monaco.monaco.editor.IStandaloneCodeEditor | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const theme = useTheme((s) => s.theme);
  const run = useBacktest((s) => s.run);
  useEffect(() => {
    let live = true;
    import("../editor/monaco.ts").then((m) => live && setMod(m), (err: unknown) => setLoadError(String(err)));
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => {
    if (!mod || !host.current) return;
    const { monaco } = mod;
    const model = monaco.editor.createModel(useStrategies.getState().draft, "typescript", monaco.Uri.parse("file:///strategy.ts"));
    const ed = monaco.editor.create(host.current, { model, automaticLayout: true, minimap: { enabled: false }, fontSize: 13, scrollBeyondLastLine: false, tabSize: 2 });
    ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => void dispatch({ kind: "run" }));
    ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => void dispatch({ kind: "save" }));
    const sub = model.onDidChangeContent(() => useStrategies.getState().setDraft(model.getValue()));
    const markers = monaco.editor.onDidChangeMarkers(() => {
      const errors = mod.typeErrors(model);
      useStrategies.setState({ typeErrors: errors.length });
      useProblems.getState().setTypeErrors(errors);
    });
    const reveal = useProblems.subscribe((s, prev) => {
      if (!s.reveal || s.reveal === prev.reveal) return;
      ed.setPosition({ lineNumber: s.reveal.line, column: s.reveal.column });
      ed.revealLineInCenter(s.reveal.line);
      ed.focus();
    });
    const unsub = useStrategies.subscribe((s) => {
      if (s.draft === model.getValue()) return;
      model.setValue(s.draft);
      ed.setScrollPosition({ scrollLeft: 0, scrollTop: 0 });
    });
    setEditor(ed);
    return () => {
      unsub();
      reveal();
      sub.dispose();
      markers.dispose();
      ed.dispose();
      model.dispose();
    };
  }, [mod]);
  useEffect(() => mod?.monaco.editor.setTheme(theme === "dark" ? "vs-dark" : "vs"), [mod, theme]);
  useEffect(() => {
    const model = editor?.getModel();
    if (!mod || !model) return;
    mod.setCoreErrors(model, run.kind === "failed" ? run.diagnostics : []);
    const first = run.kind === "failed" ? run.diagnostics[0] : undefined;
    if (first) editor?.revealLineInCenter(first.line);
  }, [mod, editor, run]);
  if (loadError) return <p className="error">The editor could not load: {loadError}</p>;
  return <div className="code-editor" ref={host} data-testid="code-editor">{mod ? null : <p className="muted">Loading the editor…</p>}</div>;
}
