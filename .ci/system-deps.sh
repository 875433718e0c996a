#!/usr/bin/env bash
# Debian packages the test suite uses (independent listings, browser tests). Idempotent.
set -euo pipefail
need=()
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v zipinfo >/dev/null || need+=(unzip)
command -v zip >/dev/null || need+=(zip)
# Peak memory of a scan (test/regressions/sqlite-memory.test.ts).
[ -x /usr/bin/time ] || need+=(time)
# HTML report browser test (test/report) and DFXML well-formedness/schema checks (.ci/interop.sh).
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v xmllint >/dev/null || need+=(libxml2-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing: ${need[*]} (install them with apt-get)" >&2
  fi
fi
