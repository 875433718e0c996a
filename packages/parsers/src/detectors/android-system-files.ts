/**
 * Binary records Android's system services and runtime keep in a phone's
 * /data, named by their headers so that a full-file-system extraction's many
 * copies are not left as unknown binary. All are opaque: each is a private
 * serialisation that only its own service reads back (no general reader),
 * and none holds ciphertext.
 * - NetworkStatsService's history files (`/data/system/netstats/*`, and
 *   `netstats_*.bin` before Android 4.1): DataOutputStream, "ANET" then a
 *   big-endian version (1 to 4 for the early per-uid files, 16 since).
 * - ProcessStatsService's state files (`/data/system/procstats/state-*.bin`):
 *   a Parcel, the little-endian int 0x50535454 then PARCEL_VERSION.
 * - ART boot and app images (`boot.art`, `base.art` in dalvik-cache and
 *   `oat/` folders): "art\n" and a three-digit version ending in NUL.
 * References: AOSP frameworks/base NetworkStatsCollection.java (FILE_MAGIC,
 * VERSION_*), ProcessStats.java (MAGIC, PARCEL_VERSION) and art/runtime/
 * image.h (ImageHeader). Fixtures written from them
 * (fixtures/android-system-files/generate.py).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, plain, u32be, u32le } from './util.js';

const NETSTATS_VERSIONS = new Set([1, 2, 3, 4, 16]);

function netstats(probe: Probe): Detection | undefined {
  const version = u32be(probe.head, 4);
  if (version === undefined || !NETSTATS_VERSIONS.has(version)) return undefined;
  return plain('opaque', {
    id: 'android-netstats',
    name: 'Android network usage history (NetworkStatsService)',
    confidence: 0.9,
    code: 'ANDROID_NETSTATS_HEADER',
    message: `"ANET" and version ${version}${version === 16 ? ' (unified collection)' : ''}: NetworkStatsService's per-network and per-app traffic history, a private DataOutputStream record.`,
    figures: { version },
  });
}

function procstats(probe: Probe): Detection | undefined {
  const version = u32le(probe.head, 4);
  if (version === undefined || version < 10 || version > 99) return undefined;
  return plain('opaque', {
    id: 'android-procstats',
    name: 'Android process statistics (ProcessStatsService Parcel)',
    confidence: 0.85,
    code: 'ANDROID_PROCSTATS_HEADER',
    message: `Parcel magic 0x50535454 and PARCEL_VERSION ${version}: ProcessStatsService's record of which apps ran and for how long, a private Parcel.`,
    figures: { version },
  });
}

function artImage(probe: Probe): Detection | undefined {
  const version = ascii(probe.head, 4, 7);
  if (!/^\d{3}$/.test(version) || probe.head[7] !== 0) return undefined;
  return plain('opaque', {
    id: 'android-art-image',
    name: 'Android Runtime image (.art)',
    confidence: 0.88,
    code: 'ART_IMAGE_HEADER',
    message: `"art\\n" and image version ${version}: a heap of preinitialised classes and objects that the ART runtime maps at start (boot or app image), read only by ART and oatdump.`,
    figures: { version: Number(version) },
  });
}

export const androidSystemFilesDetector = defineDetector({
  meta: {
    id: 'android-system-files',
    version: '1.0.0',
    title: "Android system services' and runtime's binary records: netstats, procstats, ART images",
    formats: [
      {
        id: 'android-netstats',
        name: 'Android network usage history (NetworkStatsService)',
        status: 'opaque',
        how: 'header-field',
      },
      {
        id: 'android-procstats',
        name: 'Android process statistics (ProcessStatsService Parcel)',
        status: 'opaque',
        how: 'header-field',
        extensions: ['bin'],
      },
      {
        id: 'android-art-image',
        name: 'Android Runtime image (.art)',
        status: 'opaque',
        how: 'header-field',
        extensions: ['art'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'ANET' },
    { offset: 0, ascii: 'TTSP' },
    { offset: 0, ascii: 'art\n' },
  ],
  minSize: 8,
  priority: 30,
  detect(probe): Detection | undefined {
    const magic = ascii(probe.head, 0, 4);
    if (magic === 'ANET') return netstats(probe);
    if (magic === 'TTSP') return procstats(probe);
    return artImage(probe);
  },
});
