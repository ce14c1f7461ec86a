import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { startSavedBody } from "./saved-body.ts";

describe("a saved result gzipped in the worker", () => {
  it("gunzips to head + middle + tail exactly, with the text's length in bytes", async () => {
    const trades = `[${Array.from({ length: 5000 }, (_, i) => `{"id":${i},"tag":"é ${i}"}`).join(",")}]`;
    const middle = `${trades},"orders":[]`;
    const saved = await startSavedBody([trades, ',"orders":', "[]"]).finish('{"finalEquity":1,"trades":', ',"equityCurve":{"time":[],"equity":[]}}');
    const text = `{"finalEquity":1,"trades":${middle},"equityCurve":{"time":[],"equity":[]}}`;
    expect(gunzipSync(saved.gzip).toString("utf8")).toBe(text);
    expect(saved.jsonBytes).toBe(Buffer.byteLength(text));
    expect(saved.gzip.byteLength).toBeLessThan(saved.jsonBytes / 4);
  });
});
