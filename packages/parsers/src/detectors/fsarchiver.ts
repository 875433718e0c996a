/**
 * FSArchiver archives (`.fsa`: `savefs` of file systems, `savedir` of folders), with the
 * encryption their main header records in clear. The data blocks are zstd, gzip, lzo, xz,
 * bzip2 or lz4 streams, encrypted with Blowfish when the archive was made with `-c`; the
 * headers around them stay clear, so by statistics a plain archive is "compressed behind a
 * header" and an encrypted one compressed or random. The headers say which.
 * Layout (fsarchiver src/fsarchiver.h, dico.c, archwriter.c; integers little-endian): every
 * header is a 4-byte magic ("FsA0" volume header, "ArCh" main header, "BlKh" block header,
 * …), the archive id (u32), a file-system index (u16, 0xFFFF for none) and a dictionary: its
 * length (u32, counting what follows up to the checksum), the number of entries (u16), the
 * entries (type u8: 1 u8, 2 u16, 3 u32, 4 u64, 5 bytes, 6 NUL-ended string; section u8; key u16; length
 * u16; value) and a u32 checksum. The volume header holds the format ("FsArCh_00x") and the
 * writer's version; the main header, in the first volume only, the encryption algorithm (key
 * 10: 1 none, 2 Blowfish) and, when encrypted, a 4 KiB check buffer encrypted with the key;
 * each block header its own compression and encryption algorithms (keys 3 and 4).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { randomnessFigures } from '@evtriage/core/helpers';
import { isRandom } from './statistics-figures.js';
import { ascii, indexOf, locked, passwordHint, plain, startsWith, u16le, u32le } from './util.js';

const VOLUME_MAGIC = 'FsA0';
const MAIN_MAGIC = 'ArCh';
const BLOCK_MAGIC = 'BlKh';
/** fsarchiver's own dictionaries hold a few dozen entries; the check buffer makes the main one ~4.3 KiB. */
const MAX_DICO = 65536;
const MAX_ENTRIES = 256;
const COMPRESSION = ['null', 'none', 'lzo', 'gzip', 'bzip2', 'lzma', 'lz4', 'zstd'];
const ENCRYPT_NONE = 1;
const ENCRYPT_BLOWFISH = 2;
const MAIN_WRITER = 2;
const MAIN_TYPE = 6;
const MAIN_COMPRESSION = 8;
const MAIN_ENCRYPTION = 10;
const BLOCK_COMPRESSION = 3;
const BLOCK_ENCRYPTION = 4;
const VOLUME_FORMAT = 2;
const VOLUME_NUMBER = 0;

interface Header {
  archiveId: number;
  /** Values by key: numbers for integer entries, strings for strings, byte lengths for data. */
  values: Map<number, number | string>;
  /** Offset just after the header's checksum. */
  end: number;
  /** False when the dictionary runs past the bytes at hand (the entries read so far are kept). */
  whole: boolean;
}

/** The header with magic `magic` at `at`, its dictionary walked entry by entry; undefined when malformed. */
function header(h: Uint8Array, at: number, magic: string): Header | undefined {
  if (!startsWith(h, magic, at) || at + 16 > h.length) return undefined;
  const archiveId = u32le(h, at + 4)!;
  const length = u32le(h, at + 10)!;
  const count = u16le(h, at + 14)!;
  if (length < 2 || length > MAX_DICO || count > MAX_ENTRIES) return undefined;
  const start = at + 14;
  const stop = start + length;
  const values = new Map<number, number | string>();
  let p = start + 2;
  for (let i = 0; i < count; i++) {
    if (p + 6 > h.length) return { archiveId, values, end: stop + 4, whole: false };
    const type = h[p]!;
    const key = u16le(h, p + 2)!;
    const size = u16le(h, p + 4)!;
    const value = p + 6;
    if (value + size > stop) return undefined;
    if ((type === 1 && size !== 1) || (type === 2 && size !== 2) || (type === 3 && size !== 4)) return undefined;
    if (type === 4 && size !== 8) return undefined;
    if (type < 1 || type > 6) return undefined;
    if (value + size > h.length) return { archiveId, values, end: stop + 4, whole: false };
    if (type === 1) values.set(key, h[value]!);
    else if (type === 2) values.set(key, u16le(h, value)!);
    else if (type === 3) values.set(key, u32le(h, value)!);
    else if (type === 6) {
      if (size === 0 || h[value + size - 1] !== 0) return undefined;
      values.set(key, ascii(h, value, value + size - 1));
    } else values.set(key, size);
    p = value + size;
  }
  // The entries fill the dictionary exactly.
  if (p !== stop) return undefined;
  return { archiveId, values, end: stop + 4, whole: true };
}

/** The first block header in the bytes at hand that belongs to this archive. */
function blockHeader(h: Uint8Array, archiveId: number, from: number): Header | undefined {
  for (let at = indexOf(h, BLOCK_MAGIC, from); at >= 0; at = indexOf(h, BLOCK_MAGIC, at + 1)) {
    const block = header(h, at, BLOCK_MAGIC);
    if (block && block.archiveId === archiveId && typeof block.values.get(BLOCK_ENCRYPTION) === 'number') return block;
  }
  return undefined;
}

function encrypted(via: string, figures: Record<string, string | number | boolean>, confidence: number): Detection {
  return locked({
    id: 'fsarchiver-encrypted',
    name: 'FSArchiver archive, encrypted',
    confidence,
    code: 'FSARCHIVER_ENCRYPTED',
    message: `FSArchiver ${via} records Blowfish encryption (fsarchiver -c): the data blocks are encrypted with a key from the password; the headers stay clear.`,
    figures,
    scheme: 'fsarchiver-blowfish',
    keyHint: passwordHint('The FSArchiver password (fsarchiver -c, 6 to 64 characters).'),
  });
}

export const fsarchiverDetector = defineDetector({
  meta: {
    id: 'fsarchiver',
    version: '1.0.0',
    title: 'FSArchiver archives, with the encryption their headers record',
    formats: [
      { id: 'fsarchiver', name: 'FSArchiver archive', status: 'analysable', how: 'header-field', extensions: ['fsa'] },
      {
        id: 'fsarchiver-encrypted',
        name: 'FSArchiver archive, encrypted',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['fsa'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: VOLUME_MAGIC }],
  minSize: 32,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const volume = header(h, 0, VOLUME_MAGIC);
    if (!volume?.whole) return undefined;
    const format = volume.values.get(VOLUME_FORMAT);
    if (typeof format !== 'string' || !format.startsWith('FsArCh_')) return undefined;
    const volumeNumber = volume.values.get(VOLUME_NUMBER) ?? 0;
    const figures: Record<string, string | number | boolean> = { fileFormat: format, volume: volumeNumber };
    const main = header(h, volume.end, MAIN_MAGIC);
    if (main && main.archiveId === volume.archiveId) {
      const algo = main.values.get(MAIN_ENCRYPTION);
      const compression = main.values.get(MAIN_COMPRESSION);
      if (typeof compression === 'number') figures.compression = COMPRESSION[compression] ?? compression;
      const writer = main.values.get(MAIN_WRITER) ?? volume.values.get(3);
      if (typeof writer === 'string') figures.writer = writer;
      const kind = main.values.get(MAIN_TYPE) === 1 ? 'file systems (savefs)' : 'folders (savedir)';
      if (algo === ENCRYPT_BLOWFISH) return encrypted(`main header (${format}, ${kind})`, figures, 0.95);
      if (algo === ENCRYPT_NONE) {
        return plain('analysable', {
          id: 'fsarchiver',
          name: 'FSArchiver archive',
          confidence: 0.95,
          code: 'FSARCHIVER_NOT_ENCRYPTED',
          message: `FSArchiver volume and main headers (${format}, ${kind}): encryption algorithm "none"; the data blocks are compressed, not encrypted.`,
          figures,
        });
      }
    }
    // A later volume, or a main header cut short: the block headers carry the encryption algorithm too.
    const block = blockHeader(h, volume.archiveId, volume.end);
    const blockAlgo = block?.values.get(BLOCK_ENCRYPTION);
    const blockCompression = block?.values.get(BLOCK_COMPRESSION);
    if (typeof blockCompression === 'number') figures.compression = COMPRESSION[blockCompression] ?? blockCompression;
    if (blockAlgo === ENCRYPT_BLOWFISH) return encrypted('block header', figures, 0.93);
    if (blockAlgo === ENCRYPT_NONE) {
      return plain('analysable', {
        id: 'fsarchiver',
        name: 'FSArchiver archive',
        confidence: 0.93,
        code: 'FSARCHIVER_NOT_ENCRYPTED',
        message: `FSArchiver volume header (${format}) and a block header of the same archive: encryption algorithm "none"; the data blocks are compressed, not encrypted.`,
        figures,
      });
    }
    // Neither: the bytes after the volume header say whether they are ciphertext.
    const e = randomnessFigures([h.subarray(volume.end), ...probe.samples.map((s) => s.bytes), probe.tail]);
    const stats = { ...figures, shannon: e.shannon, chiSquareP: e.chiSquareP };
    const where = `FSArchiver volume header (${format}, volume ${volumeNumber}) without a main or block header in the bytes read`;
    if (isRandom(e)) {
      return locked({
        id: 'fsarchiver-encrypted',
        name: 'FSArchiver archive, encrypted',
        confidence: 0.6,
        code: 'FSARCHIVER_VOLUME_RANDOM',
        message: `${where}; the bytes after it are uniformly random (entropy ${e.shannon.toFixed(4)} bits/byte, chi-square p=${e.chiSquareP}), as encrypted blocks are.`,
        figures: stats,
        scheme: 'fsarchiver-blowfish',
        keyHint: passwordHint('The FSArchiver password (fsarchiver -c); the first volume records the encryption.'),
      });
    }
    return plain('analysable', {
      id: 'fsarchiver',
      name: 'FSArchiver archive',
      confidence: 0.7,
      code: 'FSARCHIVER_VOLUME',
      message: `${where}; the bytes after it are not uniformly random, so not ciphertext.`,
      figures: stats,
    });
  },
});
