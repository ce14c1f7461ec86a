#!/usr/bin/env bash
# Puts the pinned Node runtime first on PATH and makes sure node_modules matches the lockfile.
# Sourced by start.sh, test.sh, .ci/run and bin/workstation. Installs only what is missing:
#   1. .runtime/  — the exact Node version from package.json "engines.node", from the npm package `node`
#   2. node_modules — `npm ci --ignore-scripts` run with that runtime first on PATH.
# No dependency compiles: every native module loads the prebuilt binary shipped in its npm package,
# so install scripts are never needed (and never allowed to fall back to node-gyp with wrong headers).
set -euo pipefail
WS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WS_NODE_VERSION="$(sed -n 's/^ *"node": *"\([0-9.]*\)".*/\1/p' "$WS_ROOT/package.json" | head -n 1)"
WS_RUNTIME_DIR="$WS_ROOT/.runtime"
WS_NODE_BIN_DIR="$WS_RUNTIME_DIR/node_modules/node/bin"

ws_log() { printf '[workstation] %s\n' "$*" >&2; }

ws_ensure_runtime() {
  if [ -x "$WS_NODE_BIN_DIR/node" ] && [ "$("$WS_NODE_BIN_DIR/node" --version)" = "v$WS_NODE_VERSION" ]; then
    return 0
  fi
  command -v npm >/dev/null 2>&1 || { ws_log "npm is required to install the Node $WS_NODE_VERSION runtime"; exit 1; }
  ws_log "installing Node $WS_NODE_VERSION into .runtime/ (first run only)"
  rm -rf "$WS_RUNTIME_DIR"
  mkdir -p "$WS_RUNTIME_DIR"
  printf '{"name":"workstation-runtime","private":true,"dependencies":{"node":"%s"},"allowScripts":{"node":true}}\n' \
    "$WS_NODE_VERSION" >"$WS_RUNTIME_DIR/package.json"
  (cd "$WS_RUNTIME_DIR" && npm install --no-audit --no-fund --loglevel=error >&2)
  [ "$("$WS_NODE_BIN_DIR/node" --version)" = "v$WS_NODE_VERSION" ] || { ws_log "runtime install failed"; exit 1; }
}

ws_lock_stamp() {
  { echo "$WS_NODE_VERSION"; cat "$WS_ROOT/package-lock.json"; } | sha256sum | cut -d' ' -f1
}

ws_ensure_deps() {
  local stamp_file="$WS_ROOT/node_modules/.workstation-install-stamp"
  local want
  want="$(ws_lock_stamp)"
  if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want" ]; then
    return 0
  fi
  ws_log "installing dependencies with Node $WS_NODE_VERSION (npm ci)"
  (cd "$WS_ROOT" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  echo "$want" >"$stamp_file"
}

ws_ensure_runtime
export PATH="$WS_NODE_BIN_DIR:$WS_ROOT/node_modules/.bin:$PATH"
# The user-level npm config on some machines points node-gyp at another Node's headers; nothing here compiles,
# and this keeps any stray build from picking those headers up silently.
export npm_config_nodedir="$WS_RUNTIME_DIR/no-headers"
if [ "${WS_SKIP_DEPS:-}" != "1" ]; then ws_ensure_deps; fi
