/**
 * TomTom POI files (`.ov2`): the points of interest a TomTom navigator, TomTom
 * GO app or a speed-camera list keeps, and what gpsbabel and POI editors
 * write for them. No magic: a chain of records, each a type byte and (for
 * most) a little-endian length, so the file was taken for anything whose
 * weak header its first bytes fit (a skipper record's bytes pass for a
 * Musepack SV4 header word). Here the records must chain to the last byte:
 * deleted (0) and POI (2, 3) records by their length, with coordinates on the
 * globe and a NUL-ended name inside the record; skipper records (1) are 21
 * bytes whose area size stays inside the file. Analysable: the format is
 * TomTom's published one and gpsbabel reads it.
 * Reference: TomTom Navigator SDK 3, "OV2 file format" (record types 0-3).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

/** Records needed before a file counts: one POI record alone is 14 bytes anything could hold. */
const MIN_RECORDS = 2;
/** POIs needed in the head of a file too large to walk to its end. */
const MIN_PARTIAL_POIS = 16;

const i32 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);

/**
 * The records of an OV2 chain: undefined unless every record holds. With `size` past the bytes (the
 * head of a larger file), the chain may be cut by the bytes' end, and records may point up to `size`.
 */
export function ov2Records(b: Uint8Array, size = b.length): { pois: number; records: number } | undefined {
  let at = 0;
  let pois = 0;
  let records = 0;
  const cut = (end: number) => end > b.length && size > b.length;
  while (at < b.length) {
    const type = b[at]!;
    if (at + 21 > b.length && cut(at + 21)) break;
    if (at + 5 > b.length) return undefined;
    const len = i32(b, at + 1);
    if (type === 1) {
      // A skipper: the size of the records it covers (itself included), then a bounding box.
      if (at + 21 > b.length || len < 21 || at + len > size) return undefined;
      at += 21;
    } else if (type === 0 || type === 2 || type === 3) {
      if (len < 14 || at + len > size) return undefined;
      if (at + len > b.length) break;
      if (type !== 0) {
        const lon = i32(b, at + 5);
        const lat = i32(b, at + 9);
        if (Math.abs(lon) > 18_000_000 || Math.abs(lat) > 9_000_000) return undefined;
        if (b[at + len - 1] !== 0) return undefined; // the name (and for type 3 the extra strings) end in NUL
        for (let i = at + 13; i < at + len - 1; i++) if (b[i]! < 0x20 && b[i] !== 0) return undefined;
        pois++;
      }
      at += len;
    } else return undefined;
    records++;
  }
  return { pois, records };
}

export const tomtomOv2Detector = defineDetector({
  meta: {
    id: 'tomtom-ov2',
    version: '1.0.0',
    title: 'TomTom POI files (.ov2): a record chain to the last byte',
    formats: [
      {
        id: 'tomtom-ov2',
        name: 'TomTom POI file (OV2)',
        status: 'analysable',
        how: 'structure',
        extensions: ['ov2'],
      },
    ],
  },
  // No magic: after the signature detectors, and before other fallbacks with weaker header checks.
  fallback: true,
  minSize: 14,
  priority: 60,
  detect(probe): Detection | undefined {
    const r = ov2Records(probe.head, probe.complete ? probe.head.length : probe.size);
    if (!r || r.pois === 0) return undefined;
    if (!probe.complete && r.pois < MIN_PARTIAL_POIS) return undefined;
    if (r.records < MIN_RECORDS && probe.extension !== 'ov2') return undefined;
    return plain('analysable', {
      id: 'tomtom-ov2',
      name: 'TomTom POI file (OV2)',
      confidence: 0.85,
      code: 'OV2_RECORDS',
      message: `${r.records} OV2 records (${r.pois} points of interest with coordinates on the globe and NUL-ended names) chain ${probe.complete ? "to the file's last byte" : 'through the bytes read'}: a TomTom POI file, read by gpsbabel without a secret.`,
      details: { records: r.records, pois: r.pois },
    });
  },
});
