// Builds main, preload and renderer from the top-level folders into out/.
import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";

export default defineConfig({
  main: {
    build: { outDir: "out/main", lib: { entry: resolve("main/index.ts") } },
  },
  preload: {
    // Sandboxed preloads must be CommonJS.
    build: { outDir: "out/preload", lib: { entry: resolve("preload/index.ts"), formats: ["cjs"], fileName: () => "index.cjs" } },
  },
  renderer: {
    root: resolve("renderer"),
    build: { outDir: resolve("out/renderer"), rollupOptions: { input: resolve("renderer/index.html") } },
    plugins: [react()],
  },
});
