#!/usr/bin/env bash
# Builds archives whose first member is a PDF (packages/parsers/fixtures/pdf/plain.pdf) and whose second is a
# line of text: tar-gnu-pdf-first-member.tar and tar-v7-pdf-first-member.tar (GNU tar in GNU format, its
# default, and in v7 format, with no "ustar" magic; blocking factor 1, owner 0, fixed mtime: a few KiB) and
# zip-stored-pdf-first-member.zip (Info-ZIP zip -0, as zip also stores a PDF it cannot shrink; -X, fixed times).
set -euo pipefail
cd "$(dirname "$0")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp ../../../packages/parsers/fixtures/pdf/plain.pdf "$work/report.pdf"
printf 'second member\n' > "$work/notes.txt"
touch -d '2026-01-01 00:00:00Z' "$work/report.pdf" "$work/notes.txt"
for format in gnu v7; do
  tar --format=$format -b 1 --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00:00Z' \
    -C "$work" -cf "tar-$format-pdf-first-member.tar" report.pdf notes.txt
done
# A POSIX and a v7 TAR whose first member is a PICT without its 512-byte application header
# (packages/parsers/fixtures/picture-formats/headerless.pct): the picture's frame then lies at offset 514,
# where a PICT file with that header has it.
cp ../../../packages/parsers/fixtures/picture-formats/headerless.pct "$work/picture.pct"
touch -d '2026-01-01 00:00:00Z' "$work/picture.pct"
for format in ustar v7; do
  tar --format=$format -b 1 --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00:00Z' \
    -C "$work" -cf "tar-$format-pict-first-member.tar" picture.pct notes.txt
done
rm -f zip-stored-pdf-first-member.zip
(cd "$work" && TZ=UTC zip -q -X -0 out.zip report.pdf notes.txt)
cp "$work/out.zip" zip-stored-pdf-first-member.zip
