#!/usr/bin/env bash
# Runs a command without the variables npm puts into the environment of a script it runs
# (npm_config_user_agent, npm_lifecycle_*, npm_package_*, NODE, INIT_CWD and npm's resolved config),
# so a nested npm on another Node reads its own version and config, as if started by hand.
# Settings that say where and how to reach the registry are kept: the nested npm needs them too.
#   scripts/clean-npm-env.sh COMMAND [ARG...]
set -euo pipefail
for name in $(compgen -e); do
  lower="${name,,}"
  case "$lower" in
    npm_config_registry | npm_config_*proxy | npm_config_cafile | npm_config_ca | npm_config_strict_ssl) ;;
    npm_* | node | init_cwd) unset "$name" ;;
  esac
done
exec "$@"
