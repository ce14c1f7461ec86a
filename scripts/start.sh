#!/usr/bin/env bash
# `npm start`: installs what is missing (pinned Node runtime, dependencies, Electron's binary),
# builds the UI, then opens the desktop app, or browser mode with one line saying why.
# Electron's binary is found the same way as `workstation desktop` finds it
# (core/cli/electron-binary.ts). When it is missing, Electron's own installer runs (it honours
# ELECTRON_MIRROR, its cache and proxies) with a time limit: WORKSTATION_ELECTRON_INSTALL_TIMEOUT
# seconds (default 300). WORKSTATION_ELECTRON_INSTALLER names another installer script (tests);
# WORKSTATION_BROWSER=1 forces browser mode. Sourcing this file only defines ws_desktop_binary.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# Prints Electron's binary under ROOT ($1), installing it first when it is missing; otherwise
# fails with one line saying why on stderr.
ws_desktop_binary() {
  if [ -n "${WORKSTATION_BROWSER:-}" ]; then
    ws_log "WORKSTATION_BROWSER is set, so the UI opens in browser mode."
    return 1
  fi
  node "$WS_ROOT/core/cli/electron-binary.ts" ensure "$1"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  cd "$WS_ROOT"
  electron-vite build --logLevel warn >&2
  if ws_desktop_binary "$WS_ROOT" >/dev/null; then
    exec bin/workstation desktop "$@"
  fi
  exec bin/workstation serve --open "$@"
fi
