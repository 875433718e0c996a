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
import { ascii, locked, plain, u32le, u64le } from './util.js';
import {
  bytesFrom,
  EOCD_BYTES,
  findEndOfCentralDirectory,
  readDirectoryEntries,
  type DirectoryEntries,
  type EndOfCentralDirectory,
} from './zip-records.js';

const ZIP64_LOCATOR = 20;
const MAX_ENTRIES_READ = 4096;

type Probe = { head: Uint8Array; tail: Uint8Array; size: number };

interface EndRecord extends Omit<EndOfCentralDirectory, 'trailing'> {
  zip64: boolean;
}

/** The ZIP64 end record that the locator before the end record at `eocdAt` points to, when it lies in this file. */
function zip64End(probe: Probe, eocdAt: number): EndRecord | undefined {
  const locator = bytesFrom(probe, eocdAt - ZIP64_LOCATOR);
  if (!locator || ascii(locator, 0, 4) !== 'PK\x06\x07') return undefined;
  const at = u64le(locator, 8);
  const r = at === undefined ? undefined : bytesFrom(probe, at);
  if (!r || ascii(r, 0, 4) !== 'PK\x06\x06') return undefined;
  const fields = [u32le(r, 16), u32le(r, 20), u64le(r, 24), u64le(r, 32), u64le(r, 40), u64le(r, 48)];
  if (fields.some((f) => f === undefined)) return undefined;
  const [disk, directoryDisk, entriesHere, entries, directorySize, directoryOffset] = fields as number[];
  return {
    at: at!,
    disk: disk!,
    directoryDisk: directoryDisk!,
    entriesHere: entriesHere!,
    entries: entries!,
    directorySize: directorySize!,
    directoryOffset: directoryOffset!,
    zip64: true,
  };
}

/** The end record the directory ends at: ZIP64's when the classic record's fields overflow. */
function endRecord(probe: Probe): EndRecord | undefined {
  const r = findEndOfCentralDirectory(probe);
  if (!r) return undefined;
  const overflow =
    r.disk === 0xffff ||
    r.directoryDisk === 0xffff ||
    r.entries === 0xffff ||
    r.directorySize === 0xffffffff ||
    r.directoryOffset === 0xffffffff;
  return overflow ? zip64End(probe, r.at) : { ...r, zip64: false };
}

interface SplitVolume extends DirectoryEntries {
  end: EndRecord;
}

/** The last volume of a split ZIP, confirmed by its directory; undefined for anything else (a one-volume ZIP has disk 0). */
export function findSplitZipVolume(probe: Probe): SplitVolume | undefined {
  const end = endRecord(probe);
  if (!end || end.disk < 1 || end.directoryDisk !== end.disk || end.entriesHere < 1) return undefined;
  // The whole directory on this volume, running from its offset exactly to the end record.
  if (end.entriesHere !== end.entries || end.directoryOffset + end.directorySize !== end.at) return undefined;
  // Outside the bytes read, the end record's own arithmetic (offset + size = where it stands) is the confirmation.
  const cd = bytesFrom(probe, end.directoryOffset) ?? new Uint8Array();
  if (cd.length > 0 && ascii(cd, 0, 4) !== 'PK\x01\x02') return undefined;
  const entries = readDirectoryEntries(cd, Math.min(end.entries, MAX_ENTRIES_READ));
  // The chain must hold inside the bytes read, and no member may start on a later disk than the last.
  if (entries.broken || (entries.lastStartDisk !== 0xffff && entries.lastStartDisk > end.disk)) return undefined;
  return { end, ...entries };
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
  minSize: EOCD_BYTES + 46,
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
