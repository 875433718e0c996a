#!/usr/bin/env bash
# Interop check: the CASE/UCO and DFXML exports of a scan of the sample
# extraction must conform under the standards' own validators, with no
# violation and no warning:
#   - validate-case.mjs: UCO/CASE 1.4.0 SHACL shapes + closed-world checks;
#   - validate-dfxml.sh: DFXML 2.0.0-beta.0 XML Schema (xmllint) + unique ids and hash lengths.
# Usage: .ci/interop.sh SHARED_DIR   (the folder holding tools/ and interop/; read-only is fine)
# The validators are copied to a scratch folder (CI lays SHARED_DIR without
# write bits) and their npm dependencies installed there with `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
if [ ! -d "$shared/tools" ] || [ ! -d "$shared/interop" ]; then
  echo "interop: $shared/tools or $shared/interop is missing; skipping the standard validators" >&2
  exit 0
fi
scratch=$(mktemp -d "${TMPDIR:-/tmp}/evtriage-interop.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cp -r "$shared/tools" "$shared/interop" "$scratch/"
chmod -R u+w "$scratch"
rm -rf "$scratch/tools/node_modules"
(cd "$scratch/tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

source_dir=examples/sample-extraction
if [ ! -d "$source_dir" ]; then
  # Until the sample extraction exists, any generated tree will do.
  source_dir="$scratch/tree"
  mkdir -p "$source_dir/sdcard/Documents" "$source_dir/data/data/com.example/databases"
  printf 'hello\n' > "$source_dir/sdcard/Documents/a.txt"
  head -c 4096 /dev/urandom > "$source_dir/sdcard/Documents/random.bin"
fi

run_cli() { node --conditions=@evtriage/source --import tsx packages/cli/src/bin.ts "$@"; }
common=(--hash md5,sha1,sha256 --case-id CI-INTEROP --examiner "evtriage CI" -q)
run_cli scan "$source_dir" -o "$scratch/scan.jsonld" --format case "${common[@]}" || [ $? -eq 1 ]
run_cli scan "$source_dir" -o "$scratch/scan.dfxml" --format dfxml "${common[@]}" || [ $? -eq 1 ]

status=0
echo "interop: CASE/UCO export of $source_dir"
node "$scratch/tools/validate-case.mjs" "$scratch/scan.jsonld" || status=1
echo "interop: DFXML export of $source_dir"
bash "$scratch/tools/validate-dfxml.sh" "$scratch/scan.dfxml" || status=1
if [ $status -eq 0 ]; then echo "interop: both exports conform (no violations, no warnings)"; else echo "interop: FAILED" >&2; fi
exit $status
