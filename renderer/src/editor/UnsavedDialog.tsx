/**
 * Asks before the unsaved draft is replaced (opening another strategy, a template): save it
 * first, discard it, or cancel. A failed save (e.g. the name is taken) keeps the dialog open with
 * core's reason, and nothing is replaced.
 */
import { useState } from "react";
import { Modal } from "../app/Modal.tsx";
import { useEscape } from "./escape.ts";

/** Props of {@link UnsavedDialog}. */
export interface UnsavedDialogProps {
  /** The draft's name. */
  name: string;
  /** What replaces it, e.g. `open "Trend"`. */
  next: string;
  /** Saves the draft; resolves to core's error message, or null when saved. */
  onSave(): Promise<string | null>;
  onDiscard(): void;
  onCancel(): void;
}

/** The unsaved-draft dialog. */
export function UnsavedDialog({ name, next, onSave, onDiscard, onCancel }: UnsavedDialogProps): React.JSX.Element {
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEscape(onCancel);
  const save = async (): Promise<void> => {
    setBusy(true);
    const err = await onSave();
    setBusy(false);
    setFailure(err);
  };
  return (
    <Modal title="Unsaved changes" testId="unsaved-dialog" onClose={onCancel}>
      <div onKeyDown={(e) => e.stopPropagation()}>
        <p>&ldquo;{name}&rdquo; has changes that are not saved. Save them before you {next}?</p>
        {failure ? <p className="error" role="alert" data-testid="unsaved-error">Not saved: {failure}</p> : null}
        <div className="field">
          <button type="button" data-testid="unsaved-save" disabled={busy} onClick={() => void save()}>Save</button>
          <button type="button" data-testid="unsaved-discard" disabled={busy} onClick={onDiscard}>Discard changes</button>
          <button type="button" data-testid="unsaved-cancel" onClick={onCancel}>Cancel</button>
        </div>
      </div>
    </Modal>
  );
}
