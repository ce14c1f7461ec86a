/** Worker-thread entry of the strategy type-checker (see typecheck-thread.ts). */
import { parentPort } from "node:worker_threads";
import { typecheckInProcess } from "./typecheck.ts";
import type { TypecheckReply, TypecheckRequest } from "./typecheck-thread.ts";

parentPort?.on("message", (req: TypecheckRequest) => {
  typecheckInProcess(req.source, req.filename).then(
    (diagnostics) => parentPort?.postMessage({ id: req.id, diagnostics } satisfies TypecheckReply),
    (err: unknown) => parentPort?.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) } satisfies TypecheckReply),
  );
});
