// Lint: typescript-eslint's recommended rules everywhere, plus the layer directions.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import layers from "./tools/eslint/layers.js";

export default tseslint.config(
  { ignores: ["out/**", "dist/**", "node_modules/**", ".runtime/**", "artifacts/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { layers },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "layers/direction": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["error", "warn"] }],
    },
  },
  {
    files: ["renderer/**/*.{ts,tsx}", "preload/**/*.ts"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ["bench/**/*.ts", "scripts/**/*.ts", "e2e/**/*.ts"],
    rules: { "no-console": "off" },
  },
);
