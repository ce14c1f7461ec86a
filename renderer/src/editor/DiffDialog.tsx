/**
 * Side-by-side diff of the draft against an earlier saved version (Monaco's diff editor); Esc
 * closes it. Versions made concurrently on two synced devices are marked "(fork)"; "Use this
 * version" puts the chosen one in the editor, and saving it makes it the latest.
 */
import { useEffect, useRef, useState } from "react";
import { api } from "../stores/connection.ts";
import { useStrategies } from "../stores/strategies.ts";
import { useTheme } from "../stores/theme.ts";
import { useEscape } from "./escape.ts";

/** The diff dialog. */
export default function DiffDialog({ onClose }: { onClose(): void }): React.JSX.Element {
  const current = useStrategies((s) => s.current);
  const draft = useStrategies((s) => s.draft);
  const theme = useTheme((s) => s.theme);
  const [version, setVersion] = useState(current?.versions[0]?.version ?? 1);
  const [error, setError] = useState<string | null>(null);
  const host = useRef<HTMLDivElement | null>(null);
  useEscape(onClose);
  const setDraft = useStrategies((s) => s.setDraft);
  const pickVersion = async (): Promise<void> => {
    if (!current) return;
    try {
      setDraft((await api.call("ui.strategies.version", { id: current.id, version })).source);
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  useEffect(() => {
    if (!current || !host.current) return;
    let dispose = (): void => undefined;
    let live = true;
    Promise.all([import("./monaco.ts"), api.call("ui.strategies.version", { id: current.id, version })])
      .then(([{ monaco }, old]) => {
        if (!live || !host.current) return;
        const original = monaco.editor.createModel(old.source, "typescript");
        const modified = monaco.editor.createModel(draft, "typescript");
        const ed = monaco.editor.createDiffEditor(host.current, { automaticLayout: true, readOnly: true, theme: theme === "dark" ? "vs-dark" : "vs" });
        ed.setModel({ original, modified });
        dispose = () => {
          ed.dispose();
          original.dispose();
          modified.dispose();
        };
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
      dispose();
    };
  }, [current, version, draft, theme]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal wide diff" role="dialog" aria-modal="true" data-testid="diff-dialog" aria-label="Diff against a saved version">
        <header className="modal-head">
          <h2>Draft vs version</h2>
          <select value={version} onChange={(e) => setVersion(Number(e.target.value))} aria-label="Version">
            {current?.versions.map((v) => <option key={v.version} value={v.version}>v{v.version}{v.fork ? " (fork)" : ""}{v.note ? ` — ${v.note}` : ""}</option>)}
          </select>
          <button type="button" data-testid="diff-use-version" title="Put this version in the editor; save it to make it the latest" onClick={() => void pickVersion()}>Use this version</button>
          <button type="button" className="icon" aria-label="Close" onClick={onClose}>×</button>
        </header>
        {error ? <p className="error">{error}</p> : <div className="diff-host" ref={host} />}
      </div>
    </div>
  );
}
