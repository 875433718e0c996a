/**
 * DJI flight records (`DJIFlightRecord_<date>_[<time>].txt` from DJI GO, GO 4,
 * Fly and Pilot; binary despite the name): a prefix, then a records area of
 * `type, length, payload, 0xFF` frames and a details area (place names,
 * times, aircraft name and serial numbers). Prefix (100 bytes from version
 * 6 on, 12 before): u64 details offset, u16 details length, u8 version.
 * Up to version 11 the records follow the prefix (u8 length) and the details
 * sit at the details offset; version 12 puts the details first; from 13 on
 * the details follow the prefix and the records, with a u16 length, start at
 * the details offset, and each record's payload is AES-encrypted under keys
 * that DJI's servers hand out (the file holds only key-chain identifiers):
 * encrypted. Earlier versions are only XOR-scrambled with a key derived
 * from the record itself: opaque (read by DJI's tools and a few viewers).
 * The check walks the first frames: each must end with 0xFF where its length
 * says; the file name only lowers how many frames are needed.
 * References: lvauvillier/dji-log-parser (layout/prefix.rs: prefix fields and
 * offsets by version; records); dji-sdk/FlightRecordParsingLib README
 * (version 13 keys from DJI's servers). Fixtures written from that layout
 * (fixtures/dji-flight-record/generate.sh): no writer is available.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, plain, u64le } from './util.js';

const PREFIX = 100;
const OLD_PREFIX = 12;
const NAME = /^DJIFlightRecord_.*\.txt$/i;

/** How many `type, length, payload, 0xFF` frames follow one another from `at`, up to `want`. */
function frames(head: Uint8Array, at: number, wideLength: boolean, want: number): number {
  let n = 0;
  while (n < want) {
    const header = wideLength ? 3 : 2;
    if (at + header > head.length) break;
    const type = head[at]!;
    const length = wideLength ? head[at + 1]! | (head[at + 2]! << 8) : head[at + 1]!;
    const end = at + header + length;
    if (type === 0 || type === 0xff || length === 0 || end >= head.length || head[end] !== 0xff) break;
    n++;
    at = end + 1;
  }
  return n;
}

export const djiFlightRecordDetector = defineDetector({
  meta: {
    id: 'dji-flight-record',
    version: '1.0.0',
    title: 'DJI drone flight records (DJIFlightRecord_*.txt)',
    formats: [
      {
        id: 'dji-flight-record',
        name: 'DJI flight record (DJIFlightRecord_*.txt)',
        status: 'opaque',
        how: 'structure',
        extensions: ['txt'],
      },
      {
        id: 'dji-flight-record-encrypted',
        name: 'DJI flight record, version 13+ with encrypted records',
        status: 'encrypted',
        how: 'structure',
        extensions: ['txt'],
      },
    ],
  },
  fallback: true,
  minSize: PREFIX + 16,
  priority: 60,
  detect(probe): Detection | undefined {
    const { head, size } = probe;
    const detailsOffset = u64le(head, 0);
    const detailsLength = head[8]! | (head[9]! << 8);
    const version = head[10]!;
    if (detailsOffset === undefined || version === 0 || version > 20 || detailsOffset > size) return undefined;
    const named = NAME.test(probe.name);
    const want = named ? 3 : 8;
    let recordsAt: number;
    if (version >= 13) recordsAt = detailsOffset;
    else if (version === 12) recordsAt = PREFIX + 436;
    else recordsAt = version < 6 ? OLD_PREFIX : PREFIX;
    // Before 12 the details area follows the records and ends the file (or nearly: a trailer of images).
    if (version < 12 && (detailsOffset < recordsAt || detailsOffset + detailsLength > size)) return undefined;
    if (version >= 13 && detailsOffset < PREFIX + detailsLength) return undefined;
    const found = frames(head, recordsAt, version >= 13, want);
    if (found < want) return undefined;
    const where = `${found} record frames from offset ${recordsAt}${named ? ', and the DJIFlightRecord_ file name' : ''}`;
    if (version >= 13)
      return locked({
        id: 'dji-flight-record-encrypted',
        name: 'DJI flight record, version 13+ with encrypted records',
        confidence: named ? 0.93 : 0.88,
        code: 'DJI_FLIGHT_RECORD_V13',
        message: `DJI flight record version ${version}: prefix with the details offset (${detailsOffset}) and ${where}; from version 13 each record's payload is AES-encrypted with keys DJI's servers hand out for the key-chain identifiers in the file.`,
        scheme: 'dji-flight-record-v13-aes',
        keyHint: {
          description:
            "The record keys DJI's flight-record service returns for the file's key chains (a DJI developer app key is needed to ask for them); the details area (aircraft, serial numbers, place, times) is readable without them.",
          kind: 'unknown',
          present: 'no',
        },
        figures: { version, detailsOffset },
      });
    return plain('opaque', {
      id: 'dji-flight-record',
      name: 'DJI flight record (DJIFlightRecord_*.txt)',
      confidence: named ? 0.93 : 0.88,
      code: 'DJI_FLIGHT_RECORD',
      message: `DJI flight record version ${version}: prefix with the details offset (${detailsOffset}) and ${where}; records in clear or XOR-scrambled with a key derived from each record: not encrypted, read by DJI's tools and flight-log viewers.`,
      figures: { version, detailsOffset },
    });
  },
});
