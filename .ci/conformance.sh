#!/usr/bin/env bash
# Corpus conformance: scan the shared labelled corpus with the built CLI, score the
# manifest with the shared scorer, print its score line, and fail when a score falls
# below the accepted floor. The floors sit just under what the detectors reach today
# (macro-F1 0.99, encrypted recall 1.00, 0 of 293 non-encrypted called encrypted) and
# never under issue 3's targets (macro-F1 >= 0.95, recall >= 0.95, FPR <= 0.02).
# Usage: .ci/conformance.sh SHARED_DIR   (holds corpus/files, corpus/labels.tsv, tools/score.py; read-only is fine)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
MIN_MACRO_F1=0.98
MIN_ENC_RECALL=0.99
MAX_ENC_FPR=0.01

if [ ! -d "$shared/corpus/files" ] || [ ! -f "$shared/tools/score.py" ]; then
  echo "conformance: $shared/corpus or $shared/tools/score.py is missing; skipping" >&2
  exit 0
fi
[ -f packages/cli/dist/bin.js ] || npx tsc -b packages/cli
out=$(mktemp -d "${TMPDIR:-/tmp}/evtriage-conformance.XXXXXX")
trap 'rm -rf "$out"' EXIT

# The scan exits non-zero when items carry errors; the score decides here.
node packages/cli/dist/bin.js scan "$shared/corpus/files" -o "$out/corpus.ndjson" -f ndjson -q || true
python3 "$shared/tools/score.py" "$out/corpus.ndjson" "$shared/corpus/labels.tsv" --top 30 > "$out/score.txt"
sed -n '/^confusion matrix/,/^ENCRYPTED recall/p;/^misclassified/,/^$/p' "$out/score.txt"
line=$(grep '^score:' "$out/score.txt" | tail -1)
echo "$line"
python3 - "$line" "$MIN_MACRO_F1" "$MIN_ENC_RECALL" "$MAX_ENC_FPR" <<'PY'
import re, sys
line, f1_min, rec_min, fpr_max = sys.argv[1], *map(float, sys.argv[2:])
got = dict((k, float(v)) for k, v in re.findall(r'(\w+)=([0-9.]+)', line))
problems = []
if got.get('macroF1', 0) < f1_min: problems.append(f"macro-F1 {got.get('macroF1')} < {f1_min}")
if got.get('encRecall', 0) < rec_min: problems.append(f"encrypted recall {got.get('encRecall')} < {rec_min}")
if got.get('encFPR', 1) > fpr_max: problems.append(f"encrypted false-positive rate {got.get('encFPR')} > {fpr_max}")
if got.get('coverage', 0) < 1.0: problems.append(f"coverage {got.get('coverage')} < 1.0")
if problems:
    print('conformance FAILED: ' + '; '.join(problems))
    sys.exit(1)
print(f'conformance ok: macro-F1 >= {f1_min}, encrypted recall >= {rec_min}, false-positive rate <= {fpr_max}')
PY
