/**
 * Asks for a strategy name in the app (Electron has no `window.prompt`): the field is focused with
 * its text selected, Enter confirms, Esc or Cancel closes. The name is checked as it is typed
 * (editor/draft.ts) and core's refusal, if any, is shown in place.
 */
import { useEffect, useRef, useState } from "react";
import { Modal } from "../app/Modal.tsx";
import { useEscape } from "./escape.ts";

/** Props of {@link NameDialog}. */
export interface NameDialogProps {
  title: string;
  /** What the confirm button says ("Rename", "Duplicate"). */
  action: string;
  initial: string;
  /** Why a name cannot be used, or null. */
  problem(name: string): string | null;
  /** Applies the name; resolves to core's error message, or null when done. */
  onConfirm(name: string): Promise<string | null>;
  onCancel(): void;
}

/** The name dialog. */
export function NameDialog({ title, action, initial, problem, onConfirm, onCancel }: NameDialogProps): React.JSX.Element {
  const [name, setName] = useState(initial);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement | null>(null);
  useEscape(onCancel);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  const invalid = problem(name);
  const message = invalid ?? failure;
  const submit = async (): Promise<void> => {
    if (invalid !== null || busy) return;
    setBusy(true);
    const err = await onConfirm(name.trim());
    setBusy(false);
    setFailure(err);
  };
  return (
    <Modal title={title} testId="name-dialog" onClose={onCancel}>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }} onKeyDown={(e) => e.stopPropagation()}>
        <label className="field">
          Name
          <input
            ref={input}
            data-testid="name-input"
            className={invalid ? "bad" : ""}
            aria-invalid={invalid !== null}
            aria-describedby="name-dialog-message"
            value={name}
            onChange={(e) => { setName(e.target.value); setFailure(null); }}
          />
        </label>
        <p id="name-dialog-message" className={message ? "error" : "hint"} data-testid="name-message" aria-live="polite">{message ?? "Enter to confirm, Esc to cancel"}</p>
        <div className="field">
          <button type="submit" data-testid="name-confirm" disabled={invalid !== null || busy}>{action}</button>
          <button type="button" data-testid="name-cancel" onClick={onCancel}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}
