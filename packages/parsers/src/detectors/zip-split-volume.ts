/**
 * The last volume of a split (spanned) ZIP archive: `zip -s` and WinZip/WinRAR
 * write volumes .z01, .z02 … and a last .zip that holds the end of the members'
 * data, then the central directory and the end record. The volume begins in the
 * middle of a member (compressed bytes, no signature), so it is found from its
 * end: an end-of-central-directory record (ZIP64's when the fields overflow)
 * whose "number of this disk" is 1 or more and whose directory starts on this
 * disk, at an offset inside this file where a directory entry ("PK\1\2")
 * begins and from which the directory runs exactly to the end record. The
 * directory is readable (names, sizes, methods); its entries' encryption bits
 * say whether the set is locked. Fallback: runs only when nothing else
 * recognised the file.
 * Reference: PKWARE APPNOTE 6.3.10 §4.3.16 (end record: disk numbers), §4.3.14–15
 * (ZIP64 end record and locator), §8 (split and spanned archives).
 * Fixtures by Info-ZIP zip (`zip -s`) in fixtures/zip-split-volume/generate.sh.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, plain, u16le, u32le, u64le } from './util.js';

const EOCD = 22;
const ZIP64_LOCATOR = 20;
const MAX_ENTRIES_READ = 4096;

interface EndRecord {
  /** Absolute offset of the record that the directory ends at (the ZIP64 end record when there is one). */
  directoryEnd: number;
  disk: number;
  directoryDisk: number;
  entriesHere: number;
  entries: number;
  directorySize: number;
  directoryOffset: number;
  zip64: boolean;
}

type Probe = { head: Uint8Array; tail: Uint8Array; size: number };

/** The probe's bytes from absolute offset `at` on (head or tail), or undefined when it does not hold them. */
function viewAt(probe: Probe, at: number): Uint8Array | undefined {
  if (at >= 0 && at < probe.head.length) return probe.head.subarray(at);
  const tailStart = probe.size - probe.tail.length;
  if (probe.tail.length > 0 && at >= tailStart && at < probe.size) return probe.tail.subarray(at - tailStart);
  return undefined;
}

/** The ZIP64 end record that the locator before the end record at `eocdAt` points to, when it lies in this file. */
function zip64End(probe: Probe, eocdAt: number): EndRecord | undefined {
  const locator = viewAt(probe, eocdAt - ZIP64_LOCATOR);
  if (!locator || ascii(locator, 0, 4) !== 'PK\x06\x07') return undefined;
  const recordAt = u64le(locator, 8);
  if (recordAt === undefined) return undefined;
  const r = viewAt(probe, recordAt);
  if (!r || ascii(r, 0, 4) !== 'PK\x06\x06') return undefined;
  const fields = [u32le(r, 16), u32le(r, 20), u64le(r, 24), u64le(r, 32), u64le(r, 40), u64le(r, 48)];
  if (fields.some((f) => f === undefined)) return undefined;
  const [disk, directoryDisk, entriesHere, entries, directorySize, directoryOffset] = fields as number[];
  return {
    directoryEnd: recordAt,
    disk: disk!,
    directoryDisk: directoryDisk!,
    entriesHere: entriesHere!,
    entries: entries!,
    directorySize: directorySize!,
    directoryOffset: directoryOffset!,
    zip64: true,
  };
}

function endRecord(probe: Probe): EndRecord | undefined {
  const end = probe.tail.length > 0 ? probe.tail : probe.head;
  const endStart = probe.size - end.length;
  for (let pos = end.length - EOCD; pos >= 0 && pos >= end.length - EOCD - 0xffff; pos--) {
    if (end[pos] !== 0x50 || ascii(end, pos, pos + 4) !== 'PK\x05\x06') continue;
    if (pos + EOCD + (u16le(end, pos + 20) ?? 0) > end.length) continue; // the comment must fit
    const r: EndRecord = {
      directoryEnd: endStart + pos,
      disk: u16le(end, pos + 4)!,
      directoryDisk: u16le(end, pos + 6)!,
      entriesHere: u16le(end, pos + 8)!,
      entries: u16le(end, pos + 10)!,
      directorySize: u32le(end, pos + 12)!,
      directoryOffset: u32le(end, pos + 16)!,
      zip64: false,
    };
    const overflow =
      r.disk === 0xffff ||
      r.directoryDisk === 0xffff ||
      r.entries === 0xffff ||
      r.directorySize === 0xffffffff ||
      r.directoryOffset === 0xffffffff;
    return overflow ? zip64End(probe, endStart + pos) : r;
  }
  return undefined;
}

interface SplitVolume {
  end: EndRecord;
  read: number;
  encrypted: number;
  aes: boolean;
}

/** The last volume of a split ZIP, confirmed by its directory; undefined for anything else (a one-volume ZIP has disk 0). */
export function findSplitZipVolume(probe: Probe): SplitVolume | undefined {
  const end = endRecord(probe);
  if (!end || end.disk < 1 || end.directoryDisk !== end.disk || end.entriesHere < 1) return undefined;
  // The whole directory on this volume, running from its offset exactly to the end record.
  if (end.entriesHere !== end.entries || end.directoryOffset + end.directorySize !== end.directoryEnd) return undefined;
  // Outside the bytes read, the end record's own arithmetic (offset + size = where it stands) is the confirmation.
  const cd = viewAt(probe, end.directoryOffset) ?? new Uint8Array();
  if (cd.length > 0 && ascii(cd, 0, 4) !== 'PK\x01\x02') return undefined;
  let read = 0;
  let encrypted = 0;
  let aes = false;
  for (let at = 0; read < Math.min(end.entries, MAX_ENTRIES_READ) && at + 46 <= cd.length; read++) {
    if (ascii(cd, at, at + 4) !== 'PK\x01\x02') return undefined; // the chain breaks inside the probe
    const startDisk = u16le(cd, at + 34)!;
    if (startDisk !== 0xffff && startDisk > end.disk) return undefined; // a member on a later disk than the last
    if (u16le(cd, at + 8)! & 1) {
      encrypted++;
      if (u16le(cd, at + 10) === 99) aes = true;
    }
    at += 46 + u16le(cd, at + 28)! + u16le(cd, at + 30)! + u16le(cd, at + 32)!;
  }
  return { end, read, encrypted, aes };
}

export const zipSplitVolumeDetector = defineDetector({
  meta: {
    id: 'zip-split-volume',
    version: '1.0.0',
    title: 'Last volumes of split (spanned) ZIP archives',
    formats: [
      {
        id: 'zip-split-volume',
        name: 'Last volume of a split ZIP archive (central directory)',
        status: 'analysable',
        how: 'structure',
        extensions: ['zip', 'zipx'],
      },
      {
        id: 'zip-split-volume-encrypted',
        name: 'Last volume of a split ZIP archive with encrypted members',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['zip', 'zipx'],
      },
    ],
  },
  minSize: EOCD + 46,
  fallback: true,
  priority: 40,
  detect(probe): Detection | undefined {
    const v = findSplitZipVolume(probe);
    if (!v) return undefined;
    const { end } = v;
    const seen = v.read > 0 ? 'a directory entry there' : 'beyond the bytes read';
    const where = `${end.zip64 ? 'ZIP64 ' : ''}end record: this is disk ${end.disk + 1} of a split archive, and the central directory of ${end.entries} entries lies on it (${end.directorySize} bytes at ${end.directoryOffset}, ${seen}, ending at the end record)`;
    const figures = {
      disk: end.disk,
      entries: end.entries,
      directoryOffset: end.directoryOffset,
      directorySize: end.directorySize,
      zip64: end.zip64,
      entriesRead: v.read,
      encryptedEntries: v.encrypted,
    };
    if (v.encrypted > 0) {
      return locked({
        id: 'zip-split-volume-encrypted',
        name: 'Last volume of a split ZIP archive with encrypted members',
        mime: 'application/zip',
        confidence: 0.92,
        code: 'ZIP_SPLIT_VOLUME_ENCRYPTED',
        message: `${where}; ${v.encrypted} of ${v.read} directory entries read have the encryption bit set.`,
        figures,
        scheme: v.aes ? 'winzip-aes' : 'zipcrypto',
        scope: v.encrypted < v.read ? 'partial' : 'full',
        keyHint: { description: 'The archive password.', kind: 'password', present: 'unknown' },
      });
    }
    return plain('analysable', {
      id: 'zip-split-volume',
      name: 'Last volume of a split ZIP archive (central directory)',
      mime: 'application/zip',
      confidence: 0.9,
      code: 'ZIP_SPLIT_VOLUME',
      message: `${where}; ${v.read > 0 ? `none of the ${v.read} entries read is encrypted` : 'whether its entries are encrypted was not read'}. The directory is readable here; the members' data lies in the earlier volumes (.z01 …).`,
      figures,
    });
  },
});
