/**
 * Microsoft's old single-file compressors, as Windows and DOS setup disks
 * stored files (`SETUP.EX_`, `*.DL_`): COMPRESS.EXE's SZDD format, the
 * QBasic-era "SZ" variant, and KWAJ (COMPRESS.EXE -Z, the MS-DOS 6 setup
 * files). Each starts with an 8-byte magic; the header fields after it are
 * checked as libmspack's decoders read them. None encrypts: KWAJ method 1 is
 * an XOR with the fixed byte 0xFF, a key in the format itself (analysable).
 * A KWAJ header whose method or offsets are out of range is still KWAJ (the
 * magic is whole) but is said to be damaged in the reason. Without this
 * check a short KWAJ file was left to libmagic, and when libmagic's answer
 * was set aside, to statistics.
 * References: libmspack mspack/szddd.c and mspack/kwajd.c (header layouts,
 * flag bits 0x01-0x20, methods 0-4); mscompress 0.4 (Debian) writes SZDD.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, startsWith, u16le, u32le } from './util.js';

const SZDD = 'SZDD\x88\xf0\x27\x33';
const QBASIC = 'SZ \x88\xf0\x27\x33\xd1';
const KWAJ = 'KWAJ\x88\xf0\x27\xd1';

const KWAJ_METHODS = ['stored', 'XOR 0xFF', 'SZDD LZSS', 'LZ+Huffman', 'MSZIP'];

/**
 * The end of the optional KWAJ header fields (flag bits 0x01-0x20): undefined
 * when one runs past the head, -1 when a name or extension has no NUL in reach.
 */
function kwajHeadersEnd(h: Uint8Array, flags: number): number | undefined {
  let at = 14;
  if (flags & 0x01) at += 4; // uncompressed length
  if (flags & 0x02) at += 2; // unknown u16
  if (flags & 0x04) {
    const n = u16le(h, at);
    if (n === undefined) return undefined;
    at += 2 + n;
  }
  // File name (up to 8 bytes) and extension (up to 3), each ended by a NUL: without it libmspack rejects the header.
  for (const [bit, max] of [
    [0x08, 8],
    [0x10, 3],
  ] as const) {
    if (!(flags & bit)) continue;
    let i = 0;
    while (i < max && at + i < h.length && h[at + i] !== 0) i++;
    if (at + i >= h.length || h[at + i] !== 0) return -1;
    at += i + 1;
  }
  if (flags & 0x20) {
    const n = u16le(h, at);
    if (n === undefined) return undefined;
    at += 2 + n;
  }
  return at;
}

function kwaj(h: Uint8Array, size: number): Detection {
  const method = u16le(h, 8)!;
  const dataOffset = u16le(h, 10)!;
  const flags = u16le(h, 12)!;
  const headersEnd = kwajHeadersEnd(h, flags);
  const length = flags & 0x01 ? u32le(h, 14) : undefined;
  const problems: string[] = [];
  if (method >= KWAJ_METHODS.length) problems.push(`method ${method} is none of 0-4`);
  if (dataOffset < 14 || dataOffset > size) problems.push(`the data offset ${dataOffset} lies outside the file`);
  // libmspack reads the optional fields in turn, then seeks to the data offset (it does not compare the two).
  if (headersEnd === -1) problems.push('the file name or extension field has no terminating NUL');
  else if (headersEnd === undefined)
    problems.push(`the optional header fields (flags 0x${flags.toString(16)}) run past the file's end`);
  const what = `KWAJ header (magic "KWAJ" 88 F0 27 D1)`;
  return plain('analysable', {
    id: 'ms-compress-kwaj',
    name: 'MS Compress KWAJ file',
    mime: 'application/x-ms-compress-kwaj',
    confidence: problems.length ? 0.8 : 0.93,
    code: 'MS_COMPRESS_KWAJ',
    message: problems.length
      ? `${what}, damaged: ${problems.join('; ')}. Not encrypted (the format has no encryption).`
      : `${what}: method ${method} (${KWAJ_METHODS[method]}), data at ${dataOffset}${length !== undefined ? `, ${length} bytes expanded` : ''}; compressed, not encrypted${method === 1 ? ' (method 1 XORs with the fixed byte 0xFF: no key)' : ''}.`,
    figures: { method, dataOffset, flags, ...(length !== undefined ? { expandedSize: length } : {}) },
  });
}

export const msCompressDetector = defineDetector({
  meta: {
    id: 'ms-compress',
    version: '1.0.0',
    title: 'Microsoft COMPRESS.EXE files (SZDD, SZ, KWAJ)',
    formats: [
      {
        id: 'ms-compress-szdd',
        name: 'MS Compress SZDD file',
        status: 'analysable',
        how: 'signature',
        mime: 'application/x-ms-compress-szdd',
        extensions: ['ex_', 'dl_', 'sy_', 'tx_', 'hl_', 'szdd'],
      },
      {
        id: 'ms-compress-kwaj',
        name: 'MS Compress KWAJ file',
        status: 'analysable',
        how: 'signature',
        mime: 'application/x-ms-compress-kwaj',
        extensions: ['ex_', 'dl_', 'sy_', 'kwj'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '535a444488f02733' },
    { offset: 0, hex: '535a2088f02733d1' },
    { offset: 0, hex: '4b57414a88f027d1' },
  ],
  minSize: 12,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (startsWith(h, KWAJ) && h.length >= 14) return kwaj(h, probe.size);
    const szdd = startsWith(h, SZDD);
    if (!szdd && !startsWith(h, QBASIC)) return undefined;
    // SZDD: mode byte 'A', the file name's missing last character, then the length; the QBasic variant has the length at 8.
    if (szdd && (h.length < 14 || h[8] !== 0x41)) return undefined;
    const length = u32le(h, szdd ? 10 : 8)!;
    const missing = szdd && h[9]! >= 0x20 && h[9]! < 0x7f ? String.fromCharCode(h[9]!) : undefined;
    return plain('analysable', {
      id: 'ms-compress-szdd',
      name: 'MS Compress SZDD file',
      mime: 'application/x-ms-compress-szdd',
      confidence: 0.93,
      code: 'MS_COMPRESS_SZDD',
      message: `${szdd ? 'SZDD header (magic "SZDD" 88 F0 27 33, mode A)' : 'QBasic-era SZ header (magic "SZ " 88 F0 27 33 D1)'}: LZSS-compressed, ${length} bytes expanded${missing ? `, the name's last character "${missing}"` : ''}; compressed, not encrypted.`,
      figures: { expandedSize: length, variant: szdd ? 'szdd' : 'qbasic' },
    });
  },
});
