#!/usr/bin/env bash
# `npm ci`, skipped when node_modules already holds what package-lock.json pins (a fresh machine has
# no node_modules, so it always installs there). INKLING_FORCE_NPM_CI=1 reinstalls anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${INKLING_FORCE_NPM_CI:-}" ] && node scripts/node-modules-current.mjs; then
  echo "[npm-install] node_modules matches package-lock.json (INKLING_FORCE_NPM_CI=1 reinstalls)" >&2
else
  npm ci --no-audit --no-fund >&2
fi
