/**
 * V8 startup snapshots: `snapshot_blob.bin` and `v8_context_snapshot.bin` sit
 * beside every Chromium and Electron executable (Chrome, Edge, Slack, Teams,
 * VS Code, Discord… in Program Files or an app bundle) and inside Node
 * single-executable apps. The blob starts with the number of contexts, a
 * rehashability flag and one checksum (V8 up to 11.x: the version at offset 12)
 * or two (later: at 16), then V8's version as a NUL-padded 64-byte string
 * ("15.6.75.63", "11.3.244.8-node.38", "12.4.254.21-electron.0"), then the
 * offsets of the read-only, shared and context snapshots, ascending. Builds with
 * snapshot compression (Android, some Electron builds) zlib-compress the
 * payloads, which then look like ciphertext to the statistics; the header stays
 * in clear. Opaque: heap images only the V8 build that wrote them can load.
 * Reference: V8 src/snapshot/snapshot.cc (SnapshotImpl: kNumberOfContextsOffset,
 * kRehashabilityOffset, kChecksumOffset, kVersionStringOffset and its 64-byte
 * length, kReadOnlySnapshotOffsetOffset and the context offsets after it).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u32le } from './util.js';

/** Where the version string starts: after one checksum (V8 ≤ 11) or two (V8 12 on). */
const VERSION_OFFSETS = [16, 12];
const VERSION_BYTES = 64;
const MAX_CONTEXTS = 64;
/** "major.minor.build[.patch]" and an embedder's suffix (Electron, Node), as V8's version string is. */
const VERSION = /^\d{1,2}\.\d{1,2}\.\d{1,4}(?:\.\d{1,4})?(?:-[\w.+-]{1,40})?$/;

/** The version string when `at` holds one: printable, matching V8's form, NUL-padded to 64 bytes. */
function versionAt(h: Uint8Array, at: number): string | undefined {
  const field = h.subarray(at, at + VERSION_BYTES);
  const end = field.indexOf(0);
  if (field.length < VERSION_BYTES || end <= 0 || !field.subarray(end).every((b) => b === 0)) return undefined;
  const version = ascii(field.subarray(0, end));
  return VERSION.test(version) ? version : undefined;
}

export function readV8Snapshot(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  const contexts = u32le(h, 0) ?? 0;
  const rehashable = u32le(h, 4);
  if (contexts === 0 || contexts > MAX_CONTEXTS || (rehashable !== 0 && rehashable !== 1)) return undefined;
  let version: string | undefined;
  let offsetsAt = 0;
  for (const at of VERSION_OFFSETS) {
    version = versionAt(h, at);
    offsetsAt = at + VERSION_BYTES;
    if (version) break;
  }
  if (!version) return undefined;
  // The read-only and shared snapshots, then one per context; the first data starts after this table.
  const offsets = contexts + 2;
  const dataStart = offsetsAt + 4 * offsets;
  if (h.length < dataStart) return undefined;
  let previous = dataStart;
  for (let i = 0; i < offsets; i++) {
    const at = u32le(h, offsetsAt + 4 * i)!;
    if (at < previous) return undefined;
    previous = at;
  }
  const fits = previous < probe.size;
  return plain('opaque', {
    id: 'v8-startup-snapshot',
    name: 'V8 startup snapshot',
    confidence: 0.93,
    code: 'V8_SNAPSHOT_HEADER',
    message: `V8 startup snapshot of V8 ${version}: ${contexts} context snapshot(s), the version string NUL-padded to 64 bytes, and ${offsets} payload offsets ascending from the end of the header${fits ? ' within the file' : ', the last past the end of the file (cut short)'}. A heap image only that V8 build loads; compressed payloads are not ciphertext.`,
    figures: { v8Version: version, contexts, truncated: !fits },
  });
}

export const v8SnapshotDetector = defineDetector({
  meta: {
    id: 'v8-snapshot',
    version: '1.0.0',
    title: "V8 startup snapshots (Chromium's and Electron apps' snapshot_blob.bin, v8_context_snapshot.bin)",
    formats: [{ id: 'v8-startup-snapshot', name: 'V8 startup snapshot', status: 'opaque', how: 'header-field' }],
  },
  minSize: 12 + VERSION_BYTES + 12,
  priority: 40,
  detect: (probe) => readV8Snapshot(probe),
});
