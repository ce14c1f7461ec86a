/**
 * Entry of a compiler helper process (see toolchain-pool.ts): answers one request at a time with a
 * compiled strategy, compile diagnostics or type diagnostics, and exits when its parent goes away.
 */
import { StrategyCompileError, compileInProcess } from "./compile.ts";
import type { ToolchainReply, ToolchainRequest } from "./toolchain-pool.ts";
import { typecheckInProcess } from "./typecheck.ts";

async function answer(req: ToolchainRequest): Promise<ToolchainReply> {
  try {
    if (req.kind === "typecheck") return { id: req.id, result: { diagnostics: await typecheckInProcess(req.source, req.filename) } };
    return { id: req.id, result: { compiled: await compileInProcess(req.source, req.filename) } };
  } catch (err) {
    if (err instanceof StrategyCompileError) return { id: req.id, result: { diagnostics: err.diagnostics } };
    return { id: req.id, error: err instanceof Error ? err.message : String(err) };
  }
}

process.on("message", (req: ToolchainRequest) => {
  void answer(req).then((reply) => process.send?.(reply));
});
process.on("disconnect", () => process.exit(0));
process.send?.({ ready: true } satisfies ToolchainReply);
