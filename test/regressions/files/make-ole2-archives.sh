#!/usr/bin/env bash
# Builds ole2-cycles.zip and ole2-cycles.tar: the three OLE2 regression files
# (ole2-*.doc beside this script) as members of a ZIP (Info-ZIP zip, -X: no
# extra fields, fixed times) and a ustar TAR (GNU tar, owner 0, fixed mtime).
set -euo pipefail
cd "$(dirname "$0")"
rm -f ole2-cycles.zip ole2-cycles.tar
touch -d '2026-01-01 00:00:00Z' ole2-*.doc
zip -q -X ole2-cycles.zip ole2-*.doc
tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00:00Z' -cf ole2-cycles.tar ole2-*.doc
