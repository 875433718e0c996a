#!/usr/bin/env bash
# Builds two ZIPs (Info-ZIP zip, -X, fixed times) of one compressible text member, notes.txt (deflated),
# and damages its DEFLATE data:
#   zip-cut-in-deflated-member.zip      cut 40 bytes into the member's data (a broken download: no central
#                                       directory, the member read from its local header, its data cut short)
#   zip-damaged-deflated-member.zip     whole, with the member's first data byte set to 0xff (a block type
#                                       DEFLATE does not have), the central directory intact
set -euo pipefail
cd "$(dirname "$0")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for i in $(seq 1 40); do printf 'line %02d: the same words again and again, so that zip deflates them\n' "$i"; done > "$work/notes.txt"
touch -d '2026-01-01 00:00:00Z' "$work/notes.txt"
(cd "$work" && TZ=UTC zip -q -X whole.zip notes.txt)
# The member's data starts after the 30-byte local header and its 9-byte name (no extra field: -X).
head -c $((30 + 9 + 40)) "$work/whole.zip" > zip-cut-in-deflated-member.zip
cp "$work/whole.zip" zip-damaged-deflated-member.zip
printf '\xff' | dd of=zip-damaged-deflated-member.zip bs=1 seek=$((30 + 9)) conv=notrunc status=none
