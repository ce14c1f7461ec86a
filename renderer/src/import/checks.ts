/**
 * What may be imported from the UI, checked before anything is uploaded: CSV or Parquet files
 * (optionally gzipped), not empty, not folders (a dropped folder, or one only half dropped, is
 * refused whole: nothing is imported). Core checks the content itself (layout, binary data,
 * long lines, bad values) and the size limit of an upload.
 */

/** A dropped or picked file as the checks see it. */
export interface ImportCandidate {
  name: string;
  size: number;
  /** True for a folder (drag and drop only). */
  directory?: boolean;
}

const EXTENSIONS = /\.(csv|tsv|txt|parquet|pq)(\.gz)?$/i;

/** Why these files cannot be imported, or null when they can. */
export function importRefusal(files: readonly ImportCandidate[]): string | null {
  if (files.length === 0) return "Nothing to import: drop or pick CSV or Parquet files.";
  for (const f of files) {
    if (f.directory) return `"${f.name}" is a folder: drop the CSV or Parquet files themselves; nothing was imported.`;
    if (!EXTENSIONS.test(f.name)) return `"${f.name}" is not a CSV or Parquet file (.csv, .tsv, .txt, .parquet, optionally .gz); nothing was imported.`;
    if (f.size === 0) return `"${f.name}" is empty; nothing was imported.`;
  }
  return null;
}

/** The symbol a file name suggests: its name without extensions, upper-cased. */
export function symbolFromName(name: string): string {
  return name.replace(/\.gz$/i, "").replace(/\.[^.]+$/, "").trim().toUpperCase().slice(0, 64);
}
