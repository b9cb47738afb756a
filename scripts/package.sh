#!/usr/bin/env bash
# Builds the bundles and packages the extension into a platform-specific .vsix.
#   scripts/package.sh [--target linux-x64|linux-arm64|darwin-arm64|win32-x64|win32-arm64] [--out FILE] [--no-build]
# Default: this machine's platform, written to .test-artifacts/inkling.vsix (what the UI tests install).
# The .vsix ships onnxruntime-node (native, not bundled) with only the target's binaries: .vscodeignore
# keeps linux/x64; for another target we package with a copy of it that keeps that target's folder.
set -euo pipefail
cd "$(dirname "$0")/.."

target="$(node -p 'process.platform + "-" + process.arch')"
out=.test-artifacts/inkling.vsix
build=true
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-build) build=false; shift ;;
    *) echo "usage: $0 [--target PLATFORM-ARCH] [--out FILE] [--no-build]" >&2; exit 2 ;;
  esac
done

binaries="node_modules/onnxruntime-node/bin/napi-v6/${target%-*}/${target#*-}"
if [ ! -d "$binaries" ]; then
  echo "[package] onnxruntime-node has no binaries for $target ($binaries)" >&2
  exit 1
fi

[ "$build" = false ] || node esbuild.config.mjs

ignore="$(mktemp)"
trap 'rm -f "$ignore"' EXIT
sed "s#^!node_modules/onnxruntime-node/bin/napi-v6/linux/x64/\*\*\$#!$binaries/**#" .vscodeignore > "$ignore"
grep -qx "!$binaries/\*\*" "$ignore" || { echo "[package] .vscodeignore lost its onnxruntime-node keep line" >&2; exit 1; }

flags=()
ls LICENSE* >/dev/null 2>&1 || flags+=(--skip-license)
mkdir -p "$(dirname "$out")"
# A failed run must not leave an older .vsix behind for the UI tests to install.
rm -f "$out"
npx --no-install vsce package --target "$target" --ignoreFile "$ignore" --out "$out" "${flags[@]}" >&2
echo "[package] $out ($(du -h "$out" | cut -f1), $target)" >&2
