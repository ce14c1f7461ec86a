/**
 * Market-data files (CSV and Parquet): layout detection and reading bars as columnar typed
 * arrays. Used by `workstation backtest --data FILE`, by import into the store, and by the
 * Parquet sources.
 */
export { DataFileError, type DetectedLayout, type LayoutColumns } from "./layout.ts";
export { detectLayout } from "./detect.ts";
export { previewFile, type FilePreview } from "./preview.ts";
export { readBarsFromFile, symbolFromFile, type ReadBarsOptions } from "./read.ts";
export { projection, stageFile, type StageOptions, type StageResult } from "./stage.ts";
