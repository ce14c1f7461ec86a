#!/usr/bin/env bash
# `npm start`: installs what is missing (pinned Node runtime, dependencies), builds the UI, then
# opens the desktop app where Electron can run, or browser mode with one line saying why.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$WS_ROOT"
electron-vite build --logLevel warn >&2
if [ -x "node_modules/electron/dist/electron" ] && [ -z "${WORKSTATION_BROWSER:-}" ]; then
  exec bin/workstation desktop "$@"
fi
echo "[workstation] Electron's binary is not installed here (node_modules/electron/dist is missing), so the UI opens in browser mode." >&2
exec bin/workstation serve --open "$@"
