/**
 * ESLint rule `layers/direction`: enforces the import directions between the top-level folders.
 * A relative import is resolved against the importing file and its target folder checked against
 * the importer's allow-list; bare package imports are checked against the importer's deny-list.
 */
import { builtinModules } from "node:module";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/**
 * Folder → folders it may import from (besides itself), whether it may use Node built-ins, the
 * packages it may not import, and (when set) the only packages it may import.
 */
export const LAYERS = {
  common: { folders: [], node: false, deny: ["electron", "react", "react-dom", "zustand", "ws", "pino", "isolated-vm", "better-sqlite3", "@duckdb/node-api", "fastify", "pg", "jose"] },
  core: { folders: ["common"], node: true, deny: ["electron", "react", "react-dom", "zustand"] },
  worker: { folders: ["common"], node: true, deny: ["electron", "react", "react-dom", "zustand"] },
  main: { folders: ["common"], node: true, deny: ["react", "react-dom", "zustand"] },
  preload: { folders: ["common"], node: false, deny: [], only: ["electron"] },
  renderer: { folders: ["common"], node: false, deny: ["electron"] },
  cloud: { folders: ["common"], node: true, deny: ["electron", "react", "react-dom", "zustand", "isolated-vm", "@duckdb/node-api"] },
};

function layerOf(file) {
  const rel = path.relative(ROOT, file);
  if (rel.startsWith("..")) return null;
  const top = rel.split(path.sep)[0];
  return Object.hasOwn(LAYERS, top) ? top : null;
}

function packageName(spec) {
  if (spec.startsWith("@")) return spec.split("/").slice(0, 2).join("/");
  return spec.split("/")[0];
}

function check(context, node, spec) {
  const file = context.filename;
  const from = layerOf(file);
  if (!from || typeof spec !== "string") return;
  const rules = LAYERS[from];
  if (spec.startsWith(".")) {
    const to = layerOf(path.resolve(path.dirname(file), spec));
    const target = path.relative(ROOT, path.resolve(path.dirname(file), spec)).split(path.sep)[0];
    if (to === from || (to && rules.folders.includes(to))) return;
    context.report({ node, message: `${from}/ may not import from ${to ?? target}/ (allowed: ${[from, ...rules.folders].join(", ")})` });
    return;
  }
  const pkg = packageName(spec);
  const isBuiltin = spec.startsWith("node:") || builtinModules.includes(pkg);
  if (isBuiltin) {
    if (!rules.node) context.report({ node, message: `${from}/ may not import Node built-ins ("${spec}")` });
    return;
  }
  if (rules.deny.includes(pkg) || (rules.only && !rules.only.includes(pkg))) {
    context.report({ node, message: `${from}/ may not import "${pkg}"` });
  }
}

/** The ESLint plugin object. */
export default {
  rules: {
    direction: {
      meta: { type: "problem", docs: { description: "enforce import directions between layers" }, schema: [] },
      create(context) {
        const visit = (node) => check(context, node, node.source?.value);
        return {
          ImportDeclaration: visit,
          ExportNamedDeclaration: (node) => node.source && visit(node),
          ExportAllDeclaration: visit,
          ImportExpression: (node) => node.source.type === "Literal" && check(context, node, node.source.value),
        };
      },
    },
  },
};
