/**
 * The import dialog: progress of the upload, the detected layout and the first rows of the file,
 * the symbol and venue to store it under, progress of the import with Cancel, and the outcome —
 * rows stored (then "Open chart") or the one message saying what was wrong (with the line).
 */
import { Modal } from "../app/Modal.tsx";
import { cancelImport, closeImport, confirmImport, openImported, useImporter, type ImportStage } from "./importer.ts";

function Progress({ stage }: { stage: Extract<ImportStage, { kind: "uploading" | "importing" }> }): React.JSX.Element {
  const pct = stage.total > 0 ? Math.min(100, Math.round((stage.done / stage.total) * 100)) : 0;
  return (
    <div data-testid="import-progress">
      <p>{stage.kind === "uploading" ? "Sending" : "Importing"}: {stage.message} ({pct} %)</p>
      <progress max={100} value={pct} />
      <button type="button" data-testid="import-cancel" onClick={cancelImport}>Cancel</button>
    </div>
  );
}

function Preview({ stage }: { stage: Extract<ImportStage, { kind: "preview" }> }): React.JSX.Element {
  const { symbol, venue, skipBad, set } = useImporter();
  const { preview } = stage;
  return (
    <form onSubmit={(e) => { e.preventDefault(); void confirmImport(); }}>
      <p data-testid="import-layout">{stage.names.join(", ")}: {preview.layout} ({preview.kind})</p>
      <div className="import-preview">
        <table data-testid="import-preview">
          <thead><tr>{preview.columns.map((c, i) => <th key={i}>{c}</th>)}</tr></thead>
          <tbody>{preview.rows.map((r, i) => <tr key={i}>{r.map((v, j) => <td key={j}>{v}</td>)}</tr>)}</tbody>
        </table>
      </div>
      <label className="field">Symbol <input data-testid="import-symbol" value={symbol} onChange={(e) => set({ symbol: e.target.value })} /></label>
      <label className="field">Venue <input data-testid="import-venue" value={venue} onChange={(e) => set({ venue: e.target.value })} /></label>
      <label className="field"><input type="checkbox" checked={skipBad} onChange={(e) => set({ skipBad: e.target.checked })} /> Skip bad rows (count them) instead of stopping at the first</label>
      <button type="submit" data-testid="import-confirm" disabled={symbol.trim() === ""}>Import</button>
    </form>
  );
}

function Outcome({ stage }: { stage: Extract<ImportStage, { kind: "done" | "failed" }> }): React.JSX.Element {
  if (stage.kind === "failed") return <p className="error" data-testid="import-error">{stage.message}</p>;
  const { result } = stage;
  return (
    <div data-testid="import-done">
      <p>Stored {result.rows.toLocaleString("en-US")} rows of {result.symbol} on {result.venue}{result.skipped > 0 ? `; ${result.skipped} bad rows skipped` : ""}.</p>
      <button type="button" data-testid="import-open" onClick={openImported}>Open chart</button>
    </div>
  );
}

/** The import dialog. */
export function ImportDialog(): React.JSX.Element {
  const stage = useImporter((s) => s.stage);
  return (
    <Modal title="Import CSV or Parquet" testId="import-dialog" wide onClose={closeImport}>
      {stage.kind === "uploading" || stage.kind === "importing" ? <Progress stage={stage} /> : null}
      {stage.kind === "preview" ? <Preview stage={stage} /> : null}
      {stage.kind === "done" || stage.kind === "failed" ? <Outcome stage={stage} /> : null}
      {stage.kind === "idle" ? <p className="hint">Drop CSV or Parquet files on the window, or pick them with Import….</p> : null}
    </Modal>
  );
}
