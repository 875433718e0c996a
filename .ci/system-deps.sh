#!/usr/bin/env bash
# Debian packages the test suite uses (independent listings, browser tests). Idempotent.
set -euo pipefail
need=()
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v zipinfo >/dev/null || need+=(unzip)
command -v zip >/dev/null || need+=(zip)
# GNU time for the benchmark's measuring code (test/performance/bench-measure.test.ts) and peak memory of a scan
# (test/regressions/sqlite-memory.test.ts); image encoders for
# the benchmark's mobile tree (test/performance/bench-mobile-tree.test.ts).
[ -x /usr/bin/time ] || need+=(time)
command -v cjpeg >/dev/null || need+=(libjpeg-turbo-progs)
command -v pnmtopng >/dev/null || need+=(netpbm)
command -v python3 >/dev/null || need+=(python3)
# lzip for the fuzzer's packed archives (scripts/fuzz.mjs --pack: tar --lzip).
command -v lzip >/dev/null || need+=(lzip)
# HTML report browser test (test/report) and DFXML well-formedness/schema checks (.ci/interop.sh).
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v xmllint >/dev/null || need+=(libxml2-utils)
# The queue test (test/distributed) starts its own redis-server on loopback.
command -v redis-server >/dev/null || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing: ${need[*]} (install them with apt-get)" >&2
  fi
fi
