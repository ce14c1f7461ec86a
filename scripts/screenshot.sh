#!/usr/bin/env bash
# `npm run screenshot`: updates the README picture on purpose. Builds the app, runs the UI
# end-to-end test (which saves its screenshots under artifacts/screenshots/ only), then copies the
# overview over docs/screenshot.png. Tests never write tracked files; this script does, when asked.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$WS_ROOT"
electron-vite build --logLevel warn && node scripts/bundle-node.ts
vitest run --config e2e/vitest.config.ts e2e/ui.test.ts
cp artifacts/screenshots/ui-8-overview.png docs/screenshot.png
printf 'docs/screenshot.png updated from artifacts/screenshots/ui-8-overview.png\n' >&2
