/** Which overlay is open: symbol search, settings, the shortcut sheet, import, past runs (one at a time). */
import { create } from "zustand";

/** The overlays. */
export type Dialog = "search" | "settings" | "shortcuts" | "import" | "runs" | null;

/** The dialog store. */
export const useDialogs = create<{ open: Dialog; show(d: Exclude<Dialog, null>): void; close(): void }>((set) => ({
  open: null,
  show: (open) => set({ open }),
  close: () => set({ open: null }),
}));
