import path from "node:path";
import { Linter } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import layers from "./layers.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const linter = new Linter({ configType: "flat" });

function violations(file: string, code: string): string[] {
  const messages = linter.verify(
    code,
    [{ files: ["**/*.ts", "**/*.tsx"], plugins: { layers }, languageOptions: { parser: tseslint.parser }, rules: { "layers/direction": "error" } }],
    path.join(root, file),
  );
  return messages.map((m) => m.message);
}

describe("layers/direction lint rule", () => {
  it("lets every layer import common, and itself", () => {
    expect(violations("core/a.ts", 'import { x } from "../common/api/index.ts"; import y from "./b.ts";')).toEqual([]);
    expect(violations("renderer/src/a.tsx", 'import { x } from "../../common/api/index.ts"; import React from "react";')).toEqual([]);
    expect(violations("main/a.ts", 'import { app } from "electron"; import fs from "node:fs";')).toEqual([]);
  });

  it("keeps common free of every other layer and of Node built-ins", () => {
    expect(violations("common/a.ts", 'import { x } from "../core/app.ts";')[0]).toContain("common/ may not import from core/");
    expect(violations("common/a.ts", 'import fs from "node:fs";')[0]).toContain("Node built-ins");
  });

  it("keeps core and worker away from electron, react, main and renderer", () => {
    expect(violations("core/a.ts", 'import { app } from "electron";')[0]).toContain('may not import "electron"');
    expect(violations("worker/a.ts", 'import React from "react";')[0]).toContain('may not import "react"');
    expect(violations("core/a.ts", 'import x from "../renderer/src/x.ts";')[0]).toContain("may not import from renderer/");
    expect(violations("core/a.ts", 'import x from "../main/index.ts";')[0]).toContain("may not import from main/");
  });

  it("keeps cloud to common and its own packages, and every other layer out of cloud", () => {
    expect(violations("cloud/a.ts", 'import { x } from "../common/cloud/crypto.ts"; import Fastify from "fastify"; import fs from "node:fs";')).toEqual([]);
    expect(violations("cloud/a.ts", 'import x from "../core/app.ts";')[0]).toContain("cloud/ may not import from core/");
    expect(violations("core/a.ts", 'import x from "../cloud/server.ts";')[0]).toContain("core/ may not import from cloud/");
    expect(violations("common/a.ts", 'import Fastify from "fastify";')[0]).toContain('may not import "fastify"');
  });

  it("keeps renderer and preload to common only", () => {
    expect(violations("renderer/src/a.ts", 'import x from "../../core/app.ts";')[0]).toContain("may not import from core/");
    expect(violations("renderer/src/a.ts", 'import fs from "node:fs";')[0]).toContain("Node built-ins");
    expect(violations("preload/a.ts", 'import ws from "ws";')[0]).toContain('may not import "ws"');
    expect(violations("preload/a.ts", 'import { contextBridge } from "electron";')).toEqual([]);
  });
});
