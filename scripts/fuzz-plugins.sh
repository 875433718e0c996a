#!/bin/sh
# Longer in-process fuzzing of every built-in detector and parser and of the plist and
# SQLite openers (test/gauntlet/fuzz.test.ts): the suite's properties with other seeds
# and more runs. Usage: scripts/fuzz-plugins.sh [scale] [seed...]
#   scripts/fuzz-plugins.sh 20 1 2 3     # 20x the suite's runs, seeds 1, 2 and 3
# A failure prints the seed and the shrunk input; commit the input under
# test/regressions/ with a test, as for scripts/fuzz.mjs.
set -eu
scale=${1:-10}
[ $# -gt 0 ] && shift
[ $# -eq 0 ] && set -- "$(date +%s)"
cd "$(dirname "$0")/.."
for seed in "$@"; do
  echo "fuzz-plugins: seed $seed, scale $scale"
  FUZZ_SEED=$seed FUZZ_SCALE=$scale npx vitest run test/gauntlet/fuzz.test.ts
done
