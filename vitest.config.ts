// Unit and integration tests: every *.test.ts beside the code (e2e/ has its own config).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{common,core,worker,main,preload,renderer,cloud,tools}/**/*.test.{ts,tsx}"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    execArgv: ["--no-node-snapshot"],
  },
});
