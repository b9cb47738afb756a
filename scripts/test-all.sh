#!/usr/bin/env bash
# The one test command (`npm test`). On a fresh Debian machine it does everything: installs the npm
# packages and the real-VS-Code tools, builds, type-checks, lints, packages the .vsix, then runs the
# three test layers: unit (Node), extension host (in code-server) and UI (chromium + packaged .vsix).
# Every step runs even when an earlier one fails. Set-up steps are reported on a line of their own;
# the last line, "N passed, N failed", counts tests only, and a failed set-up step adds a failure
# there too (so no log reads green), and the exit status is non-zero on any failure.
# With CI=true the tools (Node 24, code-server) are installed from empty into a temporary cache that
# the extension-host and UI layers then use, so every CI run proves a newcomer's cold start.
#   INKLING_FORCE_NPM_CI=1   reinstall node_modules even when it matches package-lock.json
#   INKLING_TEST_GREP=text   only tests whose full title contains text (all layers)
#   INKLING_VERBOSE=1        echo code-server's and the workbench's console in the host layer
#   INKLING_TEST_MODEL=dir   use this model folder instead of building the successor test model
#   INKLING_TOOL_CACHE=dir   where the tools live (default ~/.cache/inkling-tools; with CI=true a new temp folder)
set -uo pipefail
cd "$(dirname "$0")/.."
results=.test-artifacts/results
rm -rf "$results" && mkdir -p "$results"
began=$(date +%s)

# step NAME COMMAND...: runs it, records one pass or failure for the summary.
step() {
  local name="$1" t0 ok=true
  shift
  echo "==== $name"
  t0=$(date +%s)
  "$@" || ok=false
  echo "{\"name\":\"$name\",\"ok\":$ok,\"seconds\":$(( $(date +%s) - t0 ))}" >> "$results/steps.jsonl"
  echo "==== $name: $([ "$ok" = true ] && echo ok || echo FAILED) ($(( $(date +%s) - t0 )) s)"
}

tools() {
  local folder
  folder="$(bash scripts/ensure-code-server.sh)" || return 1
  export INKLING_CODE_SERVER="$folder"
  echo "[tools] the extension-host and UI layers use code-server in $folder"
}

if [ "${CI:-}" = true ] && [ -z "${INKLING_TOOL_CACHE:-}" ]; then
  INKLING_TOOL_CACHE="$(mktemp -d -t inkling-tools-XXXXXX)"
  export INKLING_TOOL_CACHE
  trap 'rm -rf "$INKLING_TOOL_CACHE"' EXIT
  echo "[tools] CI=true: installing Node 24 and code-server from empty into $INKLING_TOOL_CACHE"
fi

# From clean: a test deleted from test/ must not live on in out/.
build() {
  rm -rf out dist && node esbuild.config.mjs
}

# A layer whose runner died before writing its summary still counts, as one failure.
layer() {
  local name="$1"
  shift
  echo "==== $name tests"
  local t0
  t0=$(date +%s)
  "$@"
  echo "==== $name tests done ($(( $(date +%s) - t0 )) s)"
}

step "npm ci" bash scripts/npm-install.sh
step "tools (Node 24, code-server, chromium)" tools
step "build" build
step "typecheck" npx --no-install tsc --noEmit -p .
step "lint" npx --no-install eslint src test tools media
step "package .vsix" bash scripts/package.sh --no-build

layer unit node out/test/harness/runMochaLayer.js out/test/unit,out/tools "$results/unit.json"
layer "extension host" node out/test/harness/runHostTests.js "$results/host.json"
layer UI node out/test/harness/runMochaLayer.js out/test/ui "$results/ui.json" 300000

echo "==== total $(( $(date +%s) - began )) s"
node scripts/summarize.mjs "$results" unit host ui
