#!/usr/bin/env bash
# `npm test`: every check, in order — type-check each layer, lint, unit and integration tests,
# the production build, then the end-to-end tests against the built UI in Debian's Chromium.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$WS_ROOT"
step() { printf '\n== %s\n' "$*" >&2; }
step "typecheck"; node scripts/typecheck.ts
step "lint"; eslint --max-warnings 0 .
step "unit and integration tests"; vitest run
step "build"; electron-vite build --logLevel warn && node scripts/bundle-node.ts
step "end-to-end tests"; vitest run --config e2e/vitest.config.ts
