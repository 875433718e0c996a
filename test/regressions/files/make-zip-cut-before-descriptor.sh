#!/usr/bin/env bash
# Builds zip-cut-before-data-descriptor.zip: test/containers/fixtures/encrypted.zip (Info-ZIP zip -P, whose
# encrypted member is followed by a data descriptor) cut right after that first member's data, where its
# descriptor should begin: a broken download that ends on a member boundary.
set -euo pipefail
cd "$(dirname "$0")"
python3 - <<'PY'
data = open('../../containers/fixtures/encrypted.zip', 'rb').read()
assert data[:4] == b'PK\x03\x04' and data[6] & 8, 'the first member has no data descriptor'
n, m = int.from_bytes(data[26:28], 'little'), int.from_bytes(data[28:30], 'little')
end = 30 + n + m + int.from_bytes(data[18:22], 'little')
open('zip-cut-before-data-descriptor.zip', 'wb').write(data[:end])
PY
