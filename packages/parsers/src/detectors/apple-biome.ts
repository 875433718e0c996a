/**
 * Apple Biome streams ("SEGB" files): what iOS 15+ and macOS keep under
 * Biome/streams/ (app launches, intents, now playing, notifications...),
 * records of protobuf with Cocoa timestamps. Forensic parsers read them
 * (plaso, iLEAPP, CCL's ccl_segb), no general reader does and the protobuf
 * schemas are Apple's: opaque like raw protobuf and prefetch files, but
 * named, and never ciphertext. libmagic has no rule for them.
 * Version 1: a 56-byte header (end-of-data offset first, "SEGB" at 52), then
 * 8-byte aligned records of a 32-byte header (length, state, two timestamps,
 * CRC32 of the data). Version 2: "SEGB" first, an entry count and a creation
 * time; a trailer of 16-byte records (offset, state, time) ends the file.
 * The check: the magic, then the first record's fields (state, a plausible
 * time, and for version 1 the CRC32 of its data when it was read whole), or
 * for version 2 the trailer's last record.
 * References: plaso's apple_biome.yaml (dtFabric definition); CCL Solutions
 * Group's SEGB write-up.
 */
import zlib from 'node:zlib';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u32le } from './util.js';

const V1_HEADER = 56;
const V1_RECORD_HEADER = 32;
const V2_HEADER = 32;
const V2_TRAILER_RECORD = 16;
const STATES = new Set([1, 3, 4]);
/** Cocoa times (seconds since 2001-01-01) from 2001 to 2060: Biome began in 2021. */
const plausibleTime = (t: number) => Number.isFinite(t) && t >= 0 && t < 1.9e9;

function f64le(b: Uint8Array, at: number): number {
  return at + 8 <= b.length ? Buffer.from(b.buffer, b.byteOffset + at, 8).readDoubleLE(0) : Number.NaN;
}

const FORMAT = { id: 'apple-biome', name: 'Apple Biome stream (SEGB)' };

function found(version: 1 | 2, detail: string, figures: Record<string, number | string>): Detection {
  return plain('opaque', {
    ...FORMAT,
    confidence: 0.92,
    code: 'SEGB_RECORDS',
    message: `"SEGB" magic of a version ${version} Biome stream; ${detail}: Apple Biome records (protobuf with Cocoa timestamps) for a forensic parser (plaso, iLEAPP, ccl_segb); not encrypted.`,
    figures: { version, ...figures },
  });
}

export const appleBiomeDetector = defineDetector({
  meta: {
    id: 'apple-biome',
    version: '1.0.0',
    title: 'Apple Biome streams (SEGB versions 1 and 2)',
    formats: [{ ...FORMAT, status: 'opaque', how: 'structure' }],
  },
  signatures: [
    { offset: 52, ascii: 'SEGB' },
    { offset: 0, ascii: 'SEGB' },
  ],
  minSize: V2_HEADER,
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (ascii(h, 52, 56) === 'SEGB') {
      const end = u32le(h, 0) ?? 0;
      if (end < V1_HEADER || end > probe.size) return undefined;
      if (end === V1_HEADER) return found(1, 'no records yet (end of data right after the header)', { records: 0 });
      const length = u32le(h, V1_HEADER) ?? 0;
      const state = u32le(h, V1_HEADER + 4) ?? 0;
      const time = f64le(h, V1_HEADER + 8);
      const dataAt = V1_HEADER + V1_RECORD_HEADER;
      if (dataAt + length > end || !STATES.has(state) || !plausibleTime(time)) return undefined;
      const whole = dataAt + length <= h.length;
      if (whole && zlib.crc32(h.subarray(dataAt, dataAt + length)) !== u32le(h, V1_HEADER + 24)) return undefined;
      return found(
        1,
        `its first record (${length} bytes, state ${state}) ${whole ? 'matches its CRC32' : 'fits before the end of data'}`,
        { firstRecordBytes: length, endOfData: end },
      );
    }
    if (ascii(h, 0, 4) !== 'SEGB') return undefined;
    const count = u32le(h, 4) ?? 0;
    const created = f64le(h, 8);
    if (!plausibleTime(created) || V2_HEADER + count * V2_TRAILER_RECORD > probe.size) return undefined;
    if (count === 0) return found(2, 'no entries', { entries: 0 });
    // The trailer's last record: an entry offset inside the data, a known state and a plausible time.
    const bytes = probe.complete ? h : probe.tail;
    const last = bytes.length - V2_TRAILER_RECORD;
    const offset = u32le(bytes, last) ?? Number.MAX_SAFE_INTEGER;
    const state = u32le(bytes, last + 4) ?? 0;
    const time = f64le(bytes, last + 8);
    if (V2_HEADER + offset > probe.size - count * V2_TRAILER_RECORD || !STATES.has(state) || !plausibleTime(time))
      return undefined;
    return found(2, `${count} entries, the trailer's last record (state ${state}) pointing inside the data`, {
      entries: count,
    });
  },
});
