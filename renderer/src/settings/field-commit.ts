/**
 * Settings fields save when they lose the focus; a dialog closed with Esc or a click outside
 * unmounts the focused field without a blur, so what was typed there is saved when it unmounts.
 */
import { useEffect, useRef } from "react";

/**
 * Props for an uncontrolled `<input>` whose text is committed once on blur and, if it still holds
 * unsaved text, when it unmounts. `commit` may ignore text it cannot use (an invalid number).
 */
export function useFieldCommit(initial: string, commit: (text: string) => void): { ref: React.RefObject<HTMLInputElement | null>; onBlur: () => void } {
  const ref = useRef<HTMLInputElement | null>(null);
  const saved = useRef(initial);
  const latest = useRef(commit);
  useEffect(() => {
    latest.current = commit;
  });
  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el && el.value !== saved.current) latest.current(el.value);
    };
  }, []);
  const onBlur = (): void => {
    const el = ref.current;
    if (!el || el.value === saved.current) return;
    saved.current = el.value;
    latest.current(el.value);
  };
  return { ref, onBlur };
}
