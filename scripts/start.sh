#!/usr/bin/env bash
# `npm start`: builds and packages Inkling, installs it into a local code-server and serves the demo/
# workspace at http://127.0.0.1:8080 (open it in a browser). Ctrl+C stops it.
#   PORT=9000 npm start                     another port (HOST=0.0.0.0 to listen beyond this machine)
#   INKLING_MODEL=/path/to/model npm start  use a local model folder (config.json, tokenizer.json,
#                                           onnx/*.onnx): written into the demo editor's user settings
#   INKLING_MODEL=successor npm start       build the project's tiny successor test model and use it
#   INKLING_MODEL_DTYPE=fp32                which weights to load (default: keep the demo's setting)
#   INKLING_DEMO_STATE=/some/dir            where the demo editor keeps its state (default below)
#   INKLING_DEMO_FOLDER=/some/dir           the folder to open instead of demo/ (the tests open a copy)
# The editor's state (settings, open files) persists in .cache/demo-code-server/.
# First run on a fresh machine: installs npm packages (~0.5 GB), Debian's chromium, Node 24 and
# code-server (~0.8 GB under ~/.cache/inkling-tools, 4–6 minutes on 2 cores: it compiles native modules).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
host="${HOST:-127.0.0.1}"
port="${PORT:-8080}"
state="${INKLING_DEMO_STATE:-$repo/.cache/demo-code-server}"
folder="${INKLING_DEMO_FOLDER:-$repo/demo}"
log() { echo "[start] $*" >&2; }

bash scripts/npm-install.sh
cs="$(bash scripts/ensure-code-server.sh)"
bash scripts/package.sh
vsix="$repo/.test-artifacts/inkling.vsix"

model="${INKLING_MODEL:-}"
dtype="${INKLING_MODEL_DTYPE:-}"
if [ "$model" = successor ]; then
  log "building the successor test model"
  model="$(node -e "require('./out/tools/makeModel/modelCache.js').ensureTestModel('successor', 'fp32').then((p) => console.log(p))")"
  dtype="${dtype:-fp32}"
fi
node24="$(node -p "require('$cs/inkling-tools.json').node")"
entry="$(node -p "require('$cs/inkling-tools.json').codeServerEntry")"
mkdir -p "$state/data/User" "$state/extensions" "$state/home"
[ -f "$state/data/User/settings.json" ] || cat > "$state/data/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "git.openRepositoryInParentFolders": "never"
}
EOF
printf 'auth: none\ncert: false\n' > "$state/config.yaml"

# The model goes into this demo editor's settings for this machine (Machine/settings.json: code-server
# is a remote window, which reads machine-scoped settings such as inkling.model.id only from there),
# so the tracked demo/ folder stays untouched.
if [ -n "$model" ]; then
  [ -f "$model/config.json" ] || { log "$model has no config.json: not a model folder"; exit 1; }
  log "the demo uses $model"
  mkdir -p "$state/data/Machine"
  [ -f "$state/data/Machine/settings.json" ] || echo '{}' > "$state/data/Machine/settings.json"
  INKLING_MODEL="$model" INKLING_MODEL_DTYPE="$dtype" SETTINGS="$state/data/Machine/settings.json" node -e '
    const fs = require("fs");
    const settings = JSON.parse(fs.readFileSync(process.env.SETTINGS, "utf8"));
    settings["inkling.model.id"] = process.env.INKLING_MODEL;
    if (process.env.INKLING_MODEL_DTYPE) settings["inkling.model.dtype"] = process.env.INKLING_MODEL_DTYPE;
    fs.writeFileSync(process.env.SETTINGS, JSON.stringify(settings, null, 2) + "\n");'
fi

args=(--bind-addr "$host:$port" --auth none --disable-telemetry --disable-update-check --disable-workspace-trust
  --user-data-dir "$state/data" --extensions-dir "$state/extensions" --config "$state/config.yaml")
export HOME="$state/home" XDG_CONFIG_HOME="$state/xdg/config" XDG_DATA_HOME="$state/xdg/data"
# No marketplace here: fail at once rather than wait on the network.
export EXTENSIONS_GALLERY='{"serviceUrl":"https://127.0.0.1:9/gallery","itemUrl":"https://127.0.0.1:9/item"}'
"$node24" "$entry" "${args[@]}" --install-extension "$vsix" --force >&2

echo
echo "Inkling demo: http://$host:$port/?folder=$folder"
echo
exec "$node24" "$entry" "${args[@]}" "$folder"
