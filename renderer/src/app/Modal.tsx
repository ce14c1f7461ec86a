/**
 * A modal dialog: backdrop, title, Esc (via the shortcut registry) and click outside close it. It
 * opens with the first field of its body focused (the search box, the first setting), the Close
 * button only when the body has none.
 */
import { useEffect, useRef } from "react";
import { useDialogs } from "../stores/dialogs.ts";

/** Props of {@link Modal}. */
export interface ModalProps {
  title: string;
  testId: string;
  wide?: boolean;
  /** Closes a dialog that is not one of the dialog store's (default: the store's close). */
  onClose?: () => void;
  children: React.ReactNode;
}

/** The modal frame. */
export function Modal({ title, testId, wide, onClose, children }: ModalProps): React.JSX.Element {
  const closeStore = useDialogs((s) => s.close);
  const close = onClose ?? closeStore;
  const box = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const fields = "input, select, textarea, button, [tabindex]";
    const first = box.current?.querySelector<HTMLElement>(`.modal-body :is(${fields})`) ?? box.current?.querySelector<HTMLElement>(fields);
    first?.focus();
  }, []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className={wide ? "modal wide" : "modal"} role="dialog" aria-modal="true" aria-label={title} data-testid={testId} ref={box}>
        <header className="modal-head">
          <h2>{title}</h2>
          <button type="button" className="icon" aria-label="Close" onClick={close}>×</button>
        </header>
        <div className="modal-body">{children}</div>
      </div>
    </div>
  );
}
