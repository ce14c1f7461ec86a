/**
 * Monaco, bundled (no CDN) and loaded lazily by the editor panel. Workers come from the package
 * itself through Vite's `?worker` imports, served from this origin (the CSP allows `worker-src
 * 'self' blob:`). The strategy API's declaration file is registered as the module "workstation",
 * so strategies get completion, hover docs and type-error squiggles.
 */
import * as monaco from "monaco-editor";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import TsWorker from "monaco-editor/languages/features/typescript/ts.worker?worker";
import { STRATEGY_API_DTS } from "../../../common/strategy/dts.ts";

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === "typescript" || label === "javascript" ? new TsWorker() : new EditorWorker();
  },
};

const ts = monaco.typescript;
ts.typescriptDefaults.setCompilerOptions({
  target: ts.ScriptTarget.ES2020,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.NodeJs,
  strict: true,
  noEmit: true,
  lib: ["es2022"],
  allowNonTsExtensions: true,
});
ts.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
ts.typescriptDefaults.setEagerModelSync(true);
ts.typescriptDefaults.addExtraLib(STRATEGY_API_DTS, "file:///node_modules/workstation/index.d.ts");

export { monaco };

/** The marker owner of run-time and compile errors reported by core (beside the TS checker's own). */
export const CORE_MARKERS = "workstation-core";

/** An error at a line and column (1-based). */
export interface LineError {
  line: number;
  column: number;
  message: string;
}

/** Shows errors reported by core (compile or run time) as squiggles; [] clears them. */
export function setCoreErrors(model: monaco.editor.ITextModel, errors: readonly LineError[]): void {
  monaco.editor.setModelMarkers(
    model,
    CORE_MARKERS,
    errors.map((e) => ({
      severity: monaco.MarkerSeverity.Error,
      message: e.message,
      startLineNumber: e.line,
      startColumn: e.column,
      endLineNumber: e.line,
      endColumn: model.getLineMaxColumn(Math.min(Math.max(1, e.line), model.getLineCount())),
    })),
  );
}

/** Type errors the TypeScript checker currently marks in the model. */
export function typeErrors(model: monaco.editor.ITextModel): LineError[] {
  return monaco.editor
    .getModelMarkers({ resource: model.uri })
    .filter((m) => m.severity === monaco.MarkerSeverity.Error && m.owner !== CORE_MARKERS)
    .map((m) => ({ line: m.startLineNumber, column: m.startColumn, message: m.message }));
}
