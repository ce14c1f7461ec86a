#!/usr/bin/env bash
# `npm test`: every check, in order — type-check each layer, lint, unit and integration tests,
# the production build, then the end-to-end tests against the built UI in Debian's Chromium.
# Ends with one line: "tests: N passed, N failed, N skipped".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$WS_ROOT"
reports="$WS_ROOT/artifacts/test-reports"
rm -rf "$reports" && mkdir -p "$reports"
step() { printf '\n== %s\n' "$*" >&2; }
step "typecheck"; node scripts/typecheck.ts
step "lint"; eslint --max-warnings 0 .
step "unit and integration tests"; vitest run --reporter=default --reporter=json --outputFile.json="$reports/unit.json"
step "build"; electron-vite build --logLevel warn && node scripts/bundle-node.ts
step "end-to-end tests"; vitest run --config e2e/vitest.config.ts --reporter=default --reporter=json --outputFile.json="$reports/e2e.json"
node scripts/test-summary.ts "$reports/unit.json" "$reports/e2e.json"
