/**
 * Files dragged onto the window start an import (`importer.ts`); a dropped folder is named so the
 * import refuses it. The file picker behind the top bar's Import… button starts one too.
 */
import { startImport } from "./importer.ts";

function hasFiles(e: DragEvent): boolean {
  return e.dataTransfer?.types.includes("Files") === true;
}

/** Splits a drop into its files and the names of the folders in it. */
function dropped(data: DataTransfer): { files: File[]; folders: string[] } {
  const files: File[] = [];
  const folders: string[] = [];
  for (const item of Array.from(data.items)) {
    if (item.kind !== "file") continue;
    const entry = item.webkitGetAsEntry?.() ?? null;
    const file = item.getAsFile();
    if (entry?.isDirectory) folders.push(entry.name);
    else if (file) files.push(file);
  }
  return { files, folders };
}

/** Listens for files dropped on the window; returns the function that stops it. */
export function installFileDrop(): () => void {
  const over = (e: DragEvent): void => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
  };
  const drop = (e: DragEvent): void => {
    if (!hasFiles(e) || !e.dataTransfer) return;
    e.preventDefault();
    const { files, folders } = dropped(e.dataTransfer);
    void startImport(files, folders);
  };
  window.addEventListener("dragover", over);
  window.addEventListener("drop", drop);
  return () => {
    window.removeEventListener("dragover", over);
    window.removeEventListener("drop", drop);
  };
}

/** Opens the system file picker for CSV/Parquet files and imports what is picked. */
export function pickFilesToImport(): void {
  const input = document.createElement("input");
  input.type = "file";
  input.multiple = true;
  input.accept = ".csv,.tsv,.txt,.parquet,.pq,.gz";
  input.onchange = () => void startImport(Array.from(input.files ?? []));
  input.click();
}
