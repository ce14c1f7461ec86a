/**
 * Writes bars to a private temporary file for the workers (see `common/strategy/bars-file.ts`)
 * and removes it when the work is done.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BarColumns } from "../../common/market/bars.ts";
import { encodeBars, type BarsFileRef } from "../../common/strategy/bars-file.ts";

/** Runs `work` with the bars in a hand-off file; the file is deleted afterwards. */
export async function withBarsFile<T>(bars: BarColumns, work: (ref: BarsFileRef) => Promise<T>): Promise<T> {
  const file = path.join(os.tmpdir(), `workstation-bars-${process.pid}-${crypto.randomUUID()}.bin`);
  const data = encodeBars(bars);
  fs.writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), { mode: 0o600 });
  try {
    return await work({ file, symbol: bars.symbol });
  } finally {
    fs.rmSync(file, { force: true });
  }
}
