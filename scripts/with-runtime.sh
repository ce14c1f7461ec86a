#!/usr/bin/env bash
# Runs a command with the pinned Node runtime and node_modules/.bin first on PATH (installing
# them first when missing), so `npm run …` works the same whatever Node started npm.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$WS_ROOT"
exec "$@"
