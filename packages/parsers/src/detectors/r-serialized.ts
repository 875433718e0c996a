/**
 * R's serialized objects where they are not wrapped in gzip (gzip-wrapped `.rds` and `.RData` files are read as
 * gzip): every R package's lazy-load database (`R/<pkg>.rdb`, `R/sysdata.rdb`, `data/Rdata.rdb`: entries of a
 * 4-byte big-endian inflated length, then a zlib stream, or a type byte '0' (stored), '2' (bzip2) or 'Z' (xz)
 * and the data), `saveRDS(x, compress = FALSE)` files and `save(compress = FALSE)` files ("RDX3\n"). libmagic
 * and file-type name none of them, so a database was `compressed-unknown`, and one whose first bytes happened to
 * read as a gocryptfs header (00 02, then a dense zlib stream) was called encrypted.
 * Claimed when the serialization header reads: "X\n" (XDR), format version 2 or 3, the writer's R version
 * (major 1-9) and the minimum reader version R writes for that format (2.3.0 or 3.5.0). For a zlib entry the
 * first 256 compressed bytes are inflated to read it; a bzip2 entry is claimed by its "BZh" header, an xz entry
 * (a raw LZMA2 stream, no magic) by its first chunk's control, sizes, properties and first range-coder byte.
 * Reference: R's src/main/serialize.c (`OutFormat`, `OutInteger` of the versions; `R_compress1`-`3` for the
 * lazy-load entries) and src/library/base/R/lazyload.R.
 */
import zlib from 'node:zlib';
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, plain, u16be, u32be } from './util.js';

/** The minimum reader versions R writes: R 2.3.0 for format 2, R 3.5.0 for format 3. */
const MIN_READER: Record<number, number> = { 2: 0x00020300, 3: 0x00030500 };

interface SerialHeader {
  format: number;
  writer: string;
}

const rVersion = (v: number) => `${v >>> 16}.${(v >>> 8) & 0xff}.${v & 0xff}`;

/** R's XDR serialization header at `at`: "X\n", the format version, the writer's and the minimum reader's. */
export function serialHeader(b: Uint8Array, at: number): SerialHeader | undefined {
  if (b[at] !== 0x58 || b[at + 1] !== 0x0a) return undefined;
  const format = u32be(b, at + 2);
  const writer = u32be(b, at + 6);
  if (format === undefined || writer === undefined || MIN_READER[format] === undefined) return undefined;
  if (u32be(b, at + 10) !== MIN_READER[format]) return undefined;
  const major = writer >>> 16;
  if (major < 1 || major > 9) return undefined;
  return { format, writer: rVersion(writer) };
}

const FORMATS = {
  db: { id: 'r-lazyload-db', name: 'R lazy-load database entry (.rdb)' },
  rds: { id: 'r-serialized', name: 'R serialized object (.rds/.RData, uncompressed)' },
} as const;

function inflatedHead(h: Uint8Array): Uint8Array | undefined {
  if ((h[4]! & 0x0f) !== 8 || ((h[4]! << 8) | h[5]!) % 31 !== 0 || h[5]! & 0x20) return undefined;
  try {
    // 256 compressed bytes inflate to at most about 264 KiB: the cap is never hit.
    return zlib.inflateSync(h.subarray(4, 260), { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: 1 << 19 });
  } catch {
    return undefined;
  }
}

function lazyLoadEntry(probe: Probe): Detection | undefined {
  const h = probe.head;
  const length = u32be(h, 0);
  if (length === undefined || length < 14 || length > 0x7fffffff) return undefined;
  let how: string;
  let header: SerialHeader | undefined;
  if (h[4] === 0x78) {
    const out = inflatedHead(h);
    header = out && serialHeader(out, 0);
    how = 'a zlib stream';
  } else if (h[4] === 0x30) {
    header = serialHeader(h, 5);
    how = "type '0' (stored)";
  } else if (
    h[4] === 0x32 &&
    ascii(h, 5, 8) === 'BZh' &&
    h[8]! >= 0x31 &&
    h[8]! <= 0x39 &&
    ascii(h, 9, 15) === '1AY&SY'
  ) {
    how = "type '2' and a bzip2 stream";
  } else if (h[4] === 0x5a && h[5] === 0xe0 && h[10] === 0x5d && h[11] === 0 && (u16be(h, 6) ?? 0xffff) < length) {
    // xz's raw LZMA2 (no magic): a first chunk resetting the dictionary with new properties (control 0xe0), its
    // unpacked size no larger than the entry's, the properties byte R's preset writes (lc 3, lp 0, pb 2: 0x5d)
    // and the range coder's first byte, always 0.
    how = "type 'Z' and a raw LZMA2 stream (xz)";
  } else return undefined;
  if (h[4] !== 0x32 && h[4] !== 0x5a && !header) return undefined;
  const what = header ? `, holding R serialization format ${header.format} written by R ${header.writer}` : '';
  return plain('analysable', {
    ...FORMATS.db,
    confidence: header ? 0.92 : 0.8,
    code: 'R_LAZYLOAD_ENTRY',
    message: `An R lazy-load database entry (what a package's R/*.rdb and data/Rdata.rdb hold): the inflated length ${length}, then ${how}${what}. R's lazyLoad reads it through the .rdx index beside it.`,
    figures: { inflatedLength: length, ...(header ? { format: header.format, writtenBy: header.writer } : {}) },
  });
}

function uncompressed(probe: Probe): Detection | undefined {
  const h = probe.head;
  const rdx = /^RDX[23]\n$/.test(ascii(h, 0, 5));
  const header = serialHeader(h, rdx ? 5 : 0);
  if (!header) return undefined;
  return plain('analysable', {
    ...FORMATS.rds,
    confidence: 0.92,
    code: 'R_SERIALIZED',
    message: `${rdx ? `An R data file ("${ascii(h, 0, 4)}", save() without compression)` : 'An R serialized object (saveRDS() without compression)'}: "X\\n" (XDR), serialization format ${header.format}, written by R ${header.writer}.`,
    figures: { format: header.format, writtenBy: header.writer },
  });
}

export const rSerializedDetector = defineDetector({
  meta: {
    id: 'r-serialized',
    version: '1.0.0',
    title: "R's serialized objects outside gzip: lazy-load databases, uncompressed .rds and .RData",
    formats: [
      { ...FORMATS.db, status: 'analysable', how: 'structure', extensions: ['rdb'], mime: 'application/x-r-lazyload' },
      {
        ...FORMATS.rds,
        status: 'analysable',
        how: 'header-field',
        extensions: ['rds', 'rdata', 'rda'],
        mime: 'application/x-r-data',
      },
    ],
  },
  signatures: [
    { offset: 4, hex: '78' },
    { offset: 4, hex: '30580a' },
    { offset: 4, hex: '32425a68' },
    { offset: 4, hex: '5ae0' },
    { offset: 0, hex: '580a0000' },
    { offset: 0, ascii: 'RDX2\nX\n' },
    { offset: 0, ascii: 'RDX3\nX\n' },
  ],
  minSize: 14,
  // Before gocryptfs (35): its header is two bytes and sixteen random ones, which a length and a zlib header fill.
  priority: 30,
  detect(probe: Probe): Detection | undefined {
    return uncompressed(probe) ?? lazyLoadEntry(probe);
  },
});
