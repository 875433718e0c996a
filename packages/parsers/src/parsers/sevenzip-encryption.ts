/**
 * 7-Zip encryption from the archive header: an encoded header whose coder is
 * 7zAES (06F10701) means the headers themselves (file names included) are
 * encrypted; otherwise the LZMA/LZMA2-compressed header is decoded and the
 * folders of the main streams are checked for the 7zAES coder (content
 * encrypted, names readable).
 * Reference: 7-Zip DOC/7zFormat.txt (Header, EncodedHeader, StreamsInfo,
 * Folder) and DOC/Methods.txt (06F10701 = 7zAES, 030101 = LZMA, 21 = LZMA2).
 */
import { defineParser, type ParseContext, type ParseResult } from '@evtriage/core/contract';
import { napiLzma } from '../lzma.js';
import { JUDGED_BYTES, judgePackedStart } from './sevenzip-cut-short.js';

/** What an encrypted 7z archive is recorded as, however its encryption was found. */
const SEVENZIP_ENCRYPTED = {
  id: '7z-encrypted',
  name: '7-Zip archive, encrypted',
  mime: 'application/x-7z-compressed',
};

const MAX_HEADER_BYTES = 16 * 1024 * 1024;
const AES = '06f10701';

interface Coder {
  id: string;
  props: Buffer;
}
interface Folder {
  coders: Coder[];
  unpackSizes: number[];
}
interface StreamsInfo {
  packPos: number;
  packSizes: number[];
  folders: Folder[];
}

class Cursor {
  constructor(
    readonly b: Buffer,
    public at = 0,
  ) {}
  byte(): number {
    const v = this.b[this.at++];
    if (v === undefined) throw new RangeError('7z header ends early');
    return v;
  }
  bytes(n: number): Buffer {
    if (n < 0 || this.at + n > this.b.length) throw new RangeError('7z header ends early');
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  /** 7z variable-length number (first byte's high bits count the extra bytes). */
  num(): number {
    const first = this.byte();
    let mask = 0x80;
    let value = 0;
    for (let i = 0; i < 8; i++) {
      if ((first & mask) === 0) return value + (first & (mask - 1)) * 2 ** (8 * i);
      value += this.byte() * 2 ** (8 * i);
      mask >>= 1;
    }
    return value;
  }
}

function skipDigests(c: Cursor, n: number): void {
  const allDefined = c.byte();
  let defined = n;
  if (!allDefined) {
    const bits = c.bytes(Math.ceil(n / 8));
    defined = 0;
    for (let i = 0; i < n; i++) if (bits[i >> 3]! & (0x80 >> (i & 7))) defined++;
  }
  c.bytes(4 * defined);
}

function readFolder(c: Cursor): Folder & { outStreams: number } {
  const coders: Coder[] = [];
  let totalIn = 0;
  let totalOut = 0;
  const n = c.num();
  if (n > 64) throw new RangeError('too many coders');
  for (let i = 0; i < n; i++) {
    const flag = c.byte();
    const id = c.bytes(flag & 0x0f).toString('hex');
    let ins = 1;
    let outs = 1;
    if (flag & 0x10) [ins, outs] = [c.num(), c.num()];
    const props = flag & 0x20 ? c.bytes(c.num()) : Buffer.alloc(0);
    coders.push({ id, props });
    totalIn += ins;
    totalOut += outs;
  }
  // Skip the bind pairs (in index, out index).
  for (let i = 0; i < totalOut - 1; i++) {
    c.num();
    c.num();
  }
  const packed = totalIn - (totalOut - 1);
  if (packed > 1) for (let i = 0; i < packed; i++) c.num();
  return { coders, unpackSizes: [], outStreams: totalOut };
}

function readStreamsInfo(c: Cursor): StreamsInfo {
  const info: StreamsInfo = { packPos: 0, packSizes: [], folders: [] };
  for (;;) {
    const id = c.byte();
    if (id === 0x00 || id === 0x08) return info; // End, or SubStreamsInfo (not needed)
    if (id === 0x06) {
      info.packPos = c.num();
      const n = c.num();
      for (let t = c.byte(); t !== 0; t = c.byte()) {
        if (t === 0x09) for (let i = 0; i < n; i++) info.packSizes.push(c.num());
        else if (t === 0x0a) skipDigests(c, n);
        else throw new RangeError(`unexpected property ${t} in PackInfo`);
      }
    } else if (id === 0x07) {
      if (c.byte() !== 0x0b) throw new RangeError('UnpackInfo without Folder');
      const n = c.num();
      if (c.byte() !== 0) throw new RangeError('external folders are not supported');
      const folders = Array.from({ length: Math.min(n, 100_000) }, () => readFolder(c));
      if (c.byte() !== 0x0c) throw new RangeError('UnpackInfo without CodersUnpackSize');
      for (const f of folders) for (let i = 0; i < f.outStreams; i++) f.unpackSizes.push(c.num());
      info.folders = folders;
      for (let t = c.byte(); t !== 0; t = c.byte()) {
        if (t === 0x0a) skipDigests(c, n);
        else throw new RangeError(`unexpected property ${t} in UnpackInfo`);
      }
    } else throw new RangeError(`unexpected property ${id} in StreamsInfo`);
  }
}

/** Folders of the main streams of a decoded (plain) header. */
function mainFolders(header: Buffer): Folder[] {
  const c = new Cursor(header);
  if (c.byte() !== 0x01) throw new RangeError('decoded header does not start with Header');
  for (;;) {
    const id = c.byte();
    if (id === 0x00 || id === 0x05) return [];
    if (id === 0x02) {
      for (let t = c.byte(); t !== 0; t = c.byte()) c.bytes(c.num());
    } else if (id === 0x03) readStreamsInfo(c);
    else if (id === 0x04) return readStreamsInfo(c).folders;
    else throw new RangeError(`unexpected property ${id} in Header`);
  }
}

function decode(folder: Folder, packed: Buffer): Buffer {
  if (folder.coders.length !== 1) throw new RangeError(`header folder has ${folder.coders.length} coders`);
  const coder = folder.coders[0]!;
  const size = folder.unpackSizes[0] ?? 0;
  if (size > MAX_HEADER_BYTES) throw new HeaderBomb(size);
  if (coder.id === '030101') {
    const h = Buffer.alloc(13);
    coder.props.copy(h, 0, 0, 5);
    h.writeBigUInt64LE(BigInt(size), 5);
    return napiLzma()
      .lzma.decompressSync(Buffer.concat([h, packed]))
      .subarray(0, size);
  }
  if (coder.id === '21') {
    // LZMA2 carries no total size the decoder would stop at: add up its chunk headers first (a header bomb is refused).
    const unpacked = lzma2UnpackedSize(packed);
    if (unpacked > MAX_HEADER_BYTES) throw new HeaderBomb(unpacked);
    return napiLzma().lzma2.decompressSync(packed).subarray(0, size);
  }
  if (coder.id === '00') return packed.subarray(0, size);
  throw new RangeError(`header coder ${coder.id} is not supported`);
}

/**
 * The bytes an LZMA2 stream decodes to, from its chunk headers alone (xz
 * file-format spec, LZMA2: control 0x00 = end; 0x01/0x02 = uncompressed chunk,
 * 2-byte size - 1; 0x80-0xFF = LZMA chunk, unpacked size - 1 in 5 bits + 2
 * bytes, packed size - 1 in 2 bytes, then a properties byte when control >= 0xC0).
 * Walks at most the packed bytes; a control byte 0x03-0x7F is invalid.
 */
export function lzma2UnpackedSize(packed: Buffer): number {
  let total = 0;
  for (let at = 0; at < packed.length;) {
    const control = packed[at]!;
    if (control === 0x00) return total;
    if (control === 0x01 || control === 0x02) {
      if (at + 3 > packed.length) break;
      const size = packed.readUInt16BE(at + 1) + 1;
      total += size;
      at += 3 + size;
    } else if (control >= 0x80) {
      if (at + 5 > packed.length) break;
      total += ((control & 0x1f) << 16) + packed.readUInt16BE(at + 1) + 1;
      at += 5 + (control >= 0xc0 ? 1 : 0) + packed.readUInt16BE(at + 3) + 1;
    } else throw new RangeError(`invalid LZMA2 control byte 0x${control.toString(16)} at ${at}`);
  }
  return total;
}

/** An encoded header that would take more than MAX_HEADER_BYTES to read or decode. */
class HeaderBomb extends RangeError {
  constructor(readonly bytes: number) {
    super(`the encoded 7z header would take ${bytes} bytes, more than the ${MAX_HEADER_BYTES}-byte limit; not decoded`);
  }
}

const HINT = { description: 'The archive password.', kind: 'password' as const, present: 'unknown' as const };

/**
 * The header is lost (cut short, or the first piece of a split set): judge the
 * packed streams that start at byte 32 by their first bytes and statistics.
 */
async function judgeCutShort(ctx: ParseContext, packedBytes: number): Promise<ParseResult | undefined> {
  const packed = await ctx.read(32, Math.min(packedBytes, JUDGED_BYTES));
  const start = judgePackedStart(packed);
  const details = { cutShort: true, packedStart: start.coder };
  if (start.coder !== 'uniform') {
    ctx.report({
      code: 'SEVENZIP_CUT_SHORT_PACKED',
      severity: 'info',
      message: `The 7z header is lost (the file is cut short or the first piece of a split set); the packed streams from byte 32 ${start.coder === 'too-short' ? `are ${start.what}: not judged` : `start with ${start.what}: no sign of encryption in what is left`}.`,
    });
    return start.coder === 'too-short' ? undefined : { details };
  }
  return {
    details,
    reclassify: {
      status: 'encrypted',
      confidence: 0.85,
      format: SEVENZIP_ENCRYPTED,
      reasons: [
        {
          code: 'SEVENZIP_CUT_SHORT_PACKED_UNIFORM',
          message: `The 7z header is lost (the file is cut short or the first piece of a split set, ${ctx.item.size} bytes); the ${start.bytes} packed bytes from byte 32 start with no compressor's mark (LZMA/PPMd 0, LZMA2 chunk, BZip2, Zstandard, Deflate, a stored signature) and are uniform (chi-square p ${start.chiSquareP}, ${start.shannon} bits/byte): 7zAES (AES-256) output, the only cipher 7z has.`,
          figures: {
            packedBytes: start.bytes,
            chiSquareP: start.chiSquareP,
            shannon: start.shannon,
            fileSize: ctx.item.size,
          },
        },
      ],
    },
    encryption: { scheme: '7z-aes-256', scope: 'full', keyHint: HINT },
  };
}

export const sevenzipEncryptionParser = defineParser({
  meta: {
    id: 'sevenzip-encryption',
    version: '1.0.0',
    title: '7-Zip header and content encryption',
    formats: ['7z'],
    diagnostics: {
      SEVENZIP_HEADER_OUTSIDE: 'The next header lies outside the file (split or truncated archive).',
      SEVENZIP_HEADER_UNREAD: 'The 7z header could not be read: {reason}.',
      SEVENZIP_CUT_SHORT_PACKED: 'The 7z header is lost; the packed streams from byte 32 start with {what}.',
      SEVENZIP_HEADER_BOMB:
        'The encoded 7z header would take {bytes} bytes to read or decode, past the limit: not decoded.',
    },
  },
  priority: 20,
  async parse(ctx): Promise<ParseResult | undefined> {
    const sig = await ctx.read(0, 32);
    if (sig.length < 32) {
      // A 7z file cut inside its 32-byte signature header (found by test/gauntlet/fuzz.test.ts).
      ctx.report({
        code: 'SEVENZIP_HEADER_UNREAD',
        severity: 'warning',
        data: { reason: `the file ends inside the 32-byte signature header (${sig.length} bytes)` },
      });
      return undefined;
    }
    const nextOffset = Number(sig.readBigUInt64LE(12));
    const nextSize = Number(sig.readBigUInt64LE(20));
    if (nextSize === 0) return { details: { empty: true } };
    if (32 + nextOffset + nextSize > ctx.item.size || nextSize > MAX_HEADER_BYTES) {
      ctx.report({
        code: 'SEVENZIP_HEADER_OUTSIDE',
        severity: 'info',
        message: `The next header (${nextSize} bytes at ${32 + nextOffset}) lies outside the ${ctx.item.size}-byte file: a split or truncated archive.`,
      });
      return nextOffset > 0 ? judgeCutShort(ctx, Math.min(nextOffset, ctx.item.size - 32)) : undefined;
    }
    try {
      let header = await ctx.read(32 + nextOffset, nextSize);
      let encodedWith: string | undefined;
      if (header[0] === 0x17) {
        const info = readStreamsInfo(new Cursor(header, 1));
        const folder = info.folders[0];
        if (!folder) throw new RangeError('encoded header without a folder');
        if (info.folders.some((f) => f.coders.some((c) => c.id === AES))) {
          return {
            details: { headerEncrypted: true },
            reclassify: {
              status: 'encrypted',
              confidence: 0.99,
              format: SEVENZIP_ENCRYPTED,
              reasons: [
                {
                  code: 'SEVENZIP_HEADER_ENCRYPTED',
                  message:
                    'The 7z header is encoded with 7zAES (06F10701): the file list and contents need the password.',
                  figures: { coders: folder.coders.map((c) => c.id).join('+') },
                },
              ],
            },
            encryption: { scheme: '7z-aes-256', scope: 'full', keyHint: HINT },
          };
        }
        encodedWith = folder.coders.map((c) => c.id).join('+');
        const packedSize = info.packSizes[0] ?? 0;
        if (packedSize > MAX_HEADER_BYTES) throw new HeaderBomb(packedSize);
        header = decode(folder, await ctx.read(32 + info.packPos, packedSize));
      }
      const folders = mainFolders(header);
      const locked = folders.filter((f) => f.coders.some((c) => c.id === AES));
      const details = {
        headerEncrypted: false,
        headerCoder: encodedWith ?? 'none',
        folders: folders.length,
        encryptedFolders: locked.length,
      };
      if (locked.length === 0) return { details };
      return {
        details,
        reclassify: {
          status: 'encrypted',
          confidence: 0.99,
          format: SEVENZIP_ENCRYPTED,
          reasons: [
            {
              code: 'SEVENZIP_CONTENT_ENCRYPTED',
              message: `${locked.length} of ${folders.length} folder(s) are encoded with 7zAES (06F10701): file names are readable, contents need the password.`,
              figures: { folders: folders.length, encryptedFolders: locked.length },
            },
          ],
        },
        encryption: {
          scheme: '7z-aes-256',
          scope: locked.length === folders.length ? 'full' : 'partial',
          keyHint: HINT,
        },
      };
    } catch (err) {
      if (err instanceof HeaderBomb) {
        ctx.report({
          code: 'SEVENZIP_HEADER_BOMB',
          severity: 'warning',
          message: `The encoded 7z header would take ${err.bytes} bytes to read or decode, more than the ${MAX_HEADER_BYTES}-byte limit: not decoded.`,
        });
        return undefined;
      }
      ctx.report({ code: 'SEVENZIP_HEADER_UNREAD', severity: 'warning', data: { reason: (err as Error).message } });
      return undefined;
    }
  },
});
