#!/usr/bin/env bash
# Runs `npm run bench` of two commits side by side in one run: each commit in a worktree of its own
# (sharing this checkout's node_modules, so only the code differs), rounds alternating A B, B A, ...
# One report per run lands in OUT (default .cache/bench-commits/<a>-<b>/), named <a|b>-<round>.md.
#   bash scripts/bench-commits.sh BEFORE AFTER [ROUNDS] [-- bench flags...]
# Check first that the two commits' package-lock.json pin the same runtime dependencies.
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 BEFORE AFTER [ROUNDS] [-- bench flags]" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
before=$(git -C "$repo" rev-parse --short "$1")
after=$(git -C "$repo" rev-parse --short "$2")
shift 2
rounds=3
if [[ $# -gt 0 && $1 != -- ]]; then rounds=$1; shift; fi
[[ ${1:-} == -- ]] && shift
flags=("$@")
out=${OUT:-$repo/.cache/bench-commits/$before-$after}
work=$repo/.cache/bench-commits/worktrees
mkdir -p "$out" "$work"

prepare() { # name commit
  local dir=$work/$1
  if [[ ! -d $dir ]]; then
    git -C "$repo" worktree add --detach "$dir" "$2" >/dev/null
    ln -s "$repo/node_modules" "$dir/node_modules"
  fi
  git -C "$dir" checkout --quiet --detach "$2"
}
prepare a "$before"
prepare b "$after"
echo "a = $before, b = $after, $rounds rounds, flags: ${flags[*]:-(none)}; reports in $out" >&2

for ((round = 1; round <= rounds; round++)); do
  order=(a b)
  ((round % 2 == 0)) && order=(b a)
  for side in "${order[@]}"; do
    echo "round $round: $side" >&2
    (cd "$work/$side" && npm run --silent bench -- --rounds 1 "${flags[@]}") > "$out/$side-$round.md"
  done
done
echo "done: $out" >&2
node "$repo/scripts/bench-commits-summary.mjs" "$out"
