/**
 * How the editor is shown: maximised over the main layout or in its place, and whether the run
 * form's fields are open. The form's state is remembered per browser profile; on a screen narrower
 * than {@link WIDE_SCREEN} it starts collapsed so the code keeps its columns (1366×768 included).
 */
import { create } from "zustand";

const KEY = "workstation.editorView";

/** Below this window width (CSS px) the run form starts collapsed. */
export const WIDE_SCREEN = 1500;

/** The form's initial state: the saved choice, else open on a wide screen only. */
export function initialFormOpen(saved: string | null, width: number): boolean {
  if (saved === "open") return true;
  if (saved === "closed") return false;
  return width >= WIDE_SCREEN;
}

interface EditorViewState {
  maximised: boolean;
  formOpen: boolean;
  toggleMaximised(): void;
  toggleForm(): void;
}

function savedForm(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** The editor view store. */
export const useEditorView = create<EditorViewState>((set, get) => ({
  maximised: false,
  formOpen: initialFormOpen(savedForm(), typeof window === "undefined" ? WIDE_SCREEN : window.innerWidth),
  toggleMaximised: () => set({ maximised: !get().maximised }),
  toggleForm: () => {
    const formOpen = !get().formOpen;
    set({ formOpen });
    try {
      localStorage.setItem(KEY, formOpen ? "open" : "closed");
    } catch {
      // a profile without storage keeps the choice for this page only
    }
  },
}));
