/** Strategy versions under sync: hash links, forks kept and shown until picked, forged versions refused. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { IntegrityError } from "../../common/cloud/crypto.ts";
import { StrategyLibrary } from "../services/ui-strategies.ts";
import { openAppDb, type AppDb } from "../store/app-db.ts";
import { saveStrategyVersion, strategyVersions } from "../strategy/library.ts";
import { applyVersion, stampStrategyVersions, verifiedVersion, versionHash } from "./strategy-sync.ts";

let app: AppDb;
let dir: string;
afterEach(() => {
  app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(): AppDb {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "strategy-sync-"));
  app = openAppDb(dir);
  return app;
}

describe("strategy versions under sync", () => {
  it("links local versions by hash, keeps a concurrent version as a fork, and the editor shows it until the pick is saved", async () => {
    const { db } = open();
    saveStrategyVersion(db, "S", "a", null, 1);
    saveStrategyVersion(db, "S", "b", null, 2);
    await stampStrategyVersions(db);
    const [v1, v2] = strategyVersions(db, "S")!;
    expect(v1!.parent).toBeNull();
    expect(v2!.parent).toBe(v1!.hash);
    expect(v2!.hash).toBe(await versionHash("S", v1!.hash, "b"));

    const theirs = { name: "S", source: "c", note: null, createdAt: 3, parent: v1!.hash, hash: await versionHash("S", v1!.hash, "c") };
    expect(applyVersion(db, await verifiedVersion(theirs))).toEqual({ added: true, fork: true });
    expect(applyVersion(db, theirs)).toEqual({ added: false, fork: false });
    expect(strategyVersions(db, "S")!.map((v) => [v.version, v.fork])).toEqual([[1, false], [2, true], [3, true]]);

    const library = new StrategyLibrary(() => db);
    const id = library.list()[0]!.id;
    expect(library.get(id).versions.filter((v) => v.fork).map((v) => v.version)).toEqual([3, 2]);
    library.save("S", "b", null, id);
    expect(library.get(id).versions.some((v) => v.fork)).toBe(false);
  });

  it("refuses a version whose content does not match its hash", async () => {
    open();
    const forged = { name: "S", source: "evil", note: null, createdAt: 1, parent: null, hash: await versionHash("S", null, "good") };
    await expect(verifiedVersion(forged)).rejects.toThrow(IntegrityError);
  });
});
