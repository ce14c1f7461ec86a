/**
 * The import flow of the UI: files picked or dropped are checked (`checks.ts`), uploaded to core
 * one by one with progress (`upload.ts`), previewed (`store.inspect`: detected layout and first
 * rows), then imported under the symbol and venue the user confirms (`store.import`, with progress
 * and cancel). Every failure is one message and imports nothing: core's import is all or nothing.
 */
import { create } from "zustand";
import type { ImportPreview, ImportResult } from "../../../common/api/store.ts";
import { openStored } from "../chart/open-stored.ts";
import { api } from "../stores/connection.ts";
import { useDialogs } from "../stores/dialogs.ts";
import { importRefusal, symbolFromName, type ImportCandidate } from "./checks.ts";
import { uploadFile } from "./upload.ts";

/** Where the flow is. */
export type ImportStage =
  | { kind: "idle" }
  | { kind: "uploading"; done: number; total: number; message: string }
  | { kind: "preview"; files: string[]; names: string[]; preview: ImportPreview }
  | { kind: "importing"; done: number; total: number; message: string }
  | { kind: "done"; result: ImportResult }
  | { kind: "failed"; message: string };

interface ImporterStore {
  stage: ImportStage;
  symbol: string;
  venue: string;
  skipBad: boolean;
  abort: AbortController | null;
  set(patch: Partial<Pick<ImporterStore, "symbol" | "venue" | "skipBad">>): void;
}

/** The import flow's store. */
export const useImporter = create<ImporterStore>((set) => ({
  stage: { kind: "idle" },
  symbol: "",
  venue: "local",
  skipBad: false,
  abort: null,
  set: (patch) => set(patch),
}));

const stage = (s: ImportStage, abort: AbortController | null = null): void => useImporter.setState({ stage: s, abort });
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Starts importing `files` (picked or dropped; `folders` names dropped folders, which refuse all). */
export async function startImport(files: readonly File[], folders: readonly string[] = []): Promise<void> {
  useDialogs.getState().show("import");
  const candidates: ImportCandidate[] = [...folders.map((name) => ({ name, size: 0, directory: true })), ...files.map((f) => ({ name: f.name, size: f.size }))];
  const refusal = importRefusal(candidates);
  if (refusal) return stage({ kind: "failed", message: refusal });
  const abort = new AbortController();
  const total = files.reduce((a, f) => a + f.size, 0);
  const paths: string[] = [];
  try {
    let before = 0;
    for (const f of files) {
      stage({ kind: "uploading", done: before, total, message: `sending ${f.name}` }, abort);
      const up = await uploadFile(f, (sent) => stage({ kind: "uploading", done: before + sent, total, message: `sending ${f.name}` }, abort), abort.signal);
      paths.push(up.file);
      before += f.size;
    }
    const preview = await api.call("store.inspect", { file: paths[0]! }, { signal: abort.signal });
    useImporter.setState({ symbol: symbolFromName(files[0]!.name) || preview.symbol });
    stage({ kind: "preview", files: paths, names: files.map((f) => f.name), preview });
  } catch (err) {
    if (abort.signal.aborted) return stage({ kind: "idle" });
    stage({ kind: "failed", message: messageOf(err) });
  }
}

/** Imports the previewed files under the chosen symbol and venue. */
export async function confirmImport(): Promise<void> {
  const { stage: current, symbol, venue, skipBad } = useImporter.getState();
  if (current.kind !== "preview") return;
  const abort = new AbortController();
  stage({ kind: "importing", done: 0, total: current.files.length, message: "starting" }, abort);
  try {
    const result = await api.call("store.import", { files: current.files, symbol, venue: venue || "local", skipBad }, {
      signal: abort.signal,
      onProgress: (p) => stage({ kind: "importing", done: p.done, total: p.total ?? current.files.length, message: p.message ?? "" }, abort),
    });
    stage({ kind: "done", result });
  } catch (err) {
    if (abort.signal.aborted) return stage(current);
    stage({ kind: "failed", message: messageOf(err) });
  }
}

/** Cancels the upload or import under way. */
export function cancelImport(): void {
  useImporter.getState().abort?.abort();
}

/** Opens the imported series on the chart (on a timeframe with bars) and closes the dialog. */
export function openImported(): void {
  const s = useImporter.getState().stage;
  if (s.kind !== "done") return;
  openStored({ symbol: s.result.symbol, venue: s.result.venue });
  closeImport();
}

/** Closes the dialog, cancelling anything under way. */
export function closeImport(): void {
  cancelImport();
  stage({ kind: "idle" });
  useDialogs.getState().close();
}
