/**
 * ZIP archives behind a prefix: a self-extractor stub, a shell or Java
 * launcher, any bytes before the first local header. ZIP is anchored at its
 * end: the end-of-central-directory record (EOCD) ends the file (plus its
 * comment; unzip tolerates bytes after it) and gives the central directory's size and offset. As unzip and
 * zipinfo do, the prefix is the difference between where the directory really
 * starts (EOCD position minus directory size) and where the EOCD says it
 * starts; when the writer already shifted the offsets (`zip -A`), the first
 * directory entry's local-header offset is the prefix. A local header ("PK\3\4")
 * at the prefix or a directory entry ("PK\1\2") where the directory starts
 * confirms it. Directory entries with general-purpose bit 0 set are encrypted.
 * Fallback: runs only on items nothing else recognised (an executable with an
 * archive appended is the sfx-archives parser's).
 * Reference: PKWARE APPNOTE 6.3.10 §4.3.12 (central directory), §4.3.16 (EOCD);
 * Info-ZIP unzip process.c ("extra bytes at beginning or within zipfile").
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, plain, u32le } from './util.js';
import { bytesFrom, EOCD_BYTES, findEndOfCentralDirectory, readDirectoryEntries } from './zip-records.js';

const MAX_ENTRIES_READ = 4096;

interface PrefixedZip {
  prefix: number;
  /** What the directory's offsets lack: the prefix, or 0 when the writer already shifted them (`zip -A`). */
  delta: number;
  entries: number;
  /** Entries read from the central directory (when it lies in the probe), and how many are encrypted. */
  read: number;
  encrypted: number;
  localHeaderAtPrefix: boolean;
  /** Bytes after the end record's comment. */
  trailing: number;
}

export function findPrefixedZip(probe: { head: Uint8Array; tail: Uint8Array; size: number }): PrefixedZip | undefined {
  const eocd = findEndOfCentralDirectory(probe);
  if (!eocd) return undefined;
  const { entries, directorySize: cdSize, directoryOffset: cdOffset, trailing } = eocd;
  if (entries === 0 || cdOffset === 0xffffffff || cdSize === 0xffffffff) return undefined; // empty or ZIP64
  const cdStart = eocd.at - cdSize;
  const delta = cdStart - cdOffset;
  if (cdStart <= 0 || delta < 0) return undefined;
  const cd = bytesFrom(probe, cdStart);
  const cdSeen = cd !== undefined && ascii(cd, 0, 4) === 'PK\x01\x02';
  if (cd !== undefined && !cdSeen) return undefined;
  // Offsets relative to the archive (delta is the prefix), or already shifted (the first entry's offset is).
  const prefix = delta > 0 ? delta : cdSeen ? (u32le(cd, 42) ?? 0) : 0;
  if (prefix <= 0) return undefined;
  const local = bytesFrom(probe, prefix);
  const localHeaderAtPrefix = local !== undefined && ascii(local, 0, 4) === 'PK\x03\x04';
  if (local !== undefined && !localHeaderAtPrefix) return undefined;
  if (!localHeaderAtPrefix && !cdSeen) return undefined; // nothing confirmed
  const { read, encrypted } = cd
    ? readDirectoryEntries(cd, Math.min(entries, MAX_ENTRIES_READ))
    : { read: 0, encrypted: 0 };
  return { prefix, delta, entries, read, encrypted, localHeaderAtPrefix, trailing };
}

export const zipPrefixedDetector = defineDetector({
  meta: {
    id: 'zip-prefixed',
    version: '1.1.0',
    title: 'ZIP archives behind a prefix (self-extracting-like)',
    formats: [
      { id: 'zip-prefixed', name: 'ZIP archive behind a prefix', status: 'analysable', how: 'structure' },
      {
        id: 'zip-prefixed-encrypted',
        name: 'ZIP archive behind a prefix, with encrypted members',
        status: 'encrypted',
        how: 'header-field',
      },
    ],
  },
  minSize: 4 + EOCD_BYTES,
  fallback: true,
  priority: 40,
  detect(probe): Detection | undefined {
    if (ascii(probe.head, 0, 2) === 'PK') return undefined; // a plain ZIP is the archives detector's
    const zip = findPrefixedZip(probe);
    if (!zip) return undefined;
    const where = `${zip.prefix} bytes of prefix before the first local header${zip.localHeaderAtPrefix ? ' ("PK\\3\\4" there)' : ''}`;
    // The container opener reads the archive from these: where it starts, how its offsets count, where it ends.
    const figures = {
      prefixBytes: zip.prefix,
      offsetDelta: zip.delta,
      trailingBytes: zip.trailing,
      entries: zip.entries,
      entriesRead: zip.read,
      encryptedEntries: zip.encrypted,
    };
    if (zip.encrypted > 0) {
      return locked({
        id: 'zip-prefixed-encrypted',
        name: 'ZIP archive behind a prefix, with encrypted members',
        mime: 'application/zip',
        confidence: 0.93,
        code: 'ZIP_PREFIXED_ENCRYPTED',
        message: `ZIP end-of-central-directory record at the end of the file, ${where}; ${zip.encrypted} of ${zip.read} central-directory entries read have the encryption bit set.`,
        figures,
        scheme: 'zip',
        scope: zip.encrypted < zip.read ? 'partial' : 'full',
        keyHint: { description: 'The archive password.', kind: 'password', present: 'unknown' },
      });
    }
    return plain('analysable', {
      id: 'zip-prefixed',
      name: 'ZIP archive behind a prefix',
      mime: 'application/zip',
      confidence: 0.92,
      code: 'ZIP_PREFIXED',
      message: `ZIP end-of-central-directory record at the end of the file, ${where}, ${zip.entries} entries${zip.read ? ', none encrypted' : ''}: a ZIP archive behind a stub (self-extractor or launcher).`,
      figures,
    });
  },
});
