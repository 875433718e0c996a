/**
 * E-book formats of dedicated reading devices that calibre reads and writes but libmagic does not know:
 * the Rocket eBook (.rb, NuvoMedia), the Shanda Bambook book (.snb) and the Psion TCR text (.tcr). All
 * three are clear (none has an encryption field), so each is analysable once its structure is checked;
 * a magic alone is not believed.
 * References (published layouts, as calibre's readers parse them): Rocket eBook — the 14-byte header
 * B0 0C B0 0C 02 00 "NUVO" 00 00 00 00, the table-of-contents offset (u32le at 24) and the file size
 * (u32le at 28, equal to the file's), then at the ToC a page count and 44-byte entries (32-byte name,
 * size, offset, flags). SNB — "SNBP000B", big-endian revision 0x8000, a zero word, file count, VFAT
 * size and compressed size, then the zlib-compressed VFAT at 44; the file ends with the tail size, tail
 * offset and the magic again. TCR — "!!8-Bit!!" then a dictionary of 256 length-prefixed strings, then
 * one code byte per dictionary entry used.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, endOfFile, plain, startsWith, u32be, u32le } from './util.js';

const RB_MAGIC = '\xb0\x0c\xb0\x0c\x02\x00NUVO\x00\x00\x00\x00';
const SNB_MAGIC = 'SNBP000B';
const TCR_MAGIC = '!!8-Bit!!';

/** Rocket eBook: the size field is the file's, the ToC lies inside it and its entries (those the head holds) too. */
function rocketBook(h: Uint8Array, size: number): { pages: number } | undefined {
  if (!startsWith(h, RB_MAGIC) || h.length < 32) return undefined;
  const toc = u32le(h, 24)!;
  if (u32le(h, 28) !== size || toc < 32 || toc + 4 > size) return undefined;
  if (toc + 4 > h.length) return { pages: -1 };
  const pages = u32le(h, toc)!;
  if (pages === 0 || toc + 4 + pages * 44 > size) return undefined;
  for (let i = 0; i < pages && toc + 4 + (i + 1) * 44 <= h.length; i++) {
    const at = toc + 4 + i * 44;
    const length = u32le(h, at + 32)!;
    const offset = u32le(h, at + 36)!;
    if (offset + length > size) return undefined;
  }
  return { pages };
}

/** SNB: the fixed revision words, a VFAT that starts as zlib inside the file, and the magic again at the end. */
function snbBook(probe: Probe): { files: number } | undefined {
  const h = probe.head;
  if (!startsWith(h, SNB_MAGIC) || h.length < 46 || probe.size < 60) return undefined;
  if (u32be(h, 8) !== 0x8000 || u32be(h, 16) !== 0 || u32be(h, 40) !== 0) return undefined;
  const files = u32be(h, 20)!;
  const vfatCompressed = u32be(h, 28)!;
  if (files === 0 || vfatCompressed === 0 || 44 + vfatCompressed > probe.size - 16) return undefined;
  // A zlib header: CM 8 and the FCHECK multiple of 31.
  if ((h[44]! & 0x0f) !== 8 || ((h[44]! << 8) | h[45]!) % 31 !== 0) return undefined;
  const end = endOfFile(probe);
  const last = end.bytes.length;
  if (end.at + last !== probe.size || last < 16 || ascii(end.bytes, last - 8, last) !== SNB_MAGIC) return undefined;
  const tailSize = u32be(end.bytes, last - 16)!;
  const tailOffset = u32be(end.bytes, last - 12)!;
  if (tailSize === 0 || tailOffset < 44 || tailOffset + tailSize > probe.size - 16) return undefined;
  return { files };
}

/**
 * TCR: the 256 dictionary entries, walked through the head, stay inside the file; a file whose head ends
 * before the dictionary does must have at least the entries it shows. Text after the magic rarely walks
 * 256 length prefixes to land inside the file with a code stream behind it, so the walk is the check.
 */
function tcrBook(h: Uint8Array, size: number): { dictionary: number } | undefined {
  if (!startsWith(h, TCR_MAGIC)) return undefined;
  let at = TCR_MAGIC.length;
  for (let i = 0; i < 256; i++) {
    if (at >= h.length) return at < size ? { dictionary: -1 } : undefined;
    at += 1 + h[at]!;
    if (at > size) return undefined;
  }
  // At least one code byte follows the dictionary (an empty text makes no file worth the name).
  return at < size ? { dictionary: at } : undefined;
}

export const readerEbooksDetector = defineDetector({
  meta: {
    id: 'reader-ebooks',
    version: '1.0.0',
    title: 'Reading-device e-books calibre reads (Rocket eBook, Shanda Bambook SNB, Psion TCR)',
    formats: [
      { id: 'rocket-ebook', name: 'Rocket eBook', status: 'analysable', how: 'header-field', extensions: ['rb'] },
      {
        id: 'snb-ebook',
        name: 'Shanda Bambook e-book',
        status: 'analysable',
        how: 'header-field',
        extensions: ['snb'],
      },
      { id: 'tcr-ebook', name: 'Psion TCR e-book', status: 'analysable', how: 'header-field', extensions: ['tcr'] },
    ],
  },
  signatures: [
    { offset: 0, hex: 'b00cb00c02004e55564f' },
    { offset: 0, ascii: SNB_MAGIC },
    { offset: 0, ascii: TCR_MAGIC },
  ],
  minSize: 10,
  priority: 30,
  detect(probe): Detection | undefined {
    const rb = rocketBook(probe.head, probe.size);
    if (rb) {
      return plain('analysable', {
        id: 'rocket-ebook',
        name: 'Rocket eBook',
        confidence: 0.9,
        code: 'ROCKET_EBOOK_HEADER',
        message:
          'Rocket eBook ("NUVO" header): the size field equals the file size and the table of contents lies inside the file; calibre reads it, and the format has no encryption field.',
        ...(rb.pages >= 0 ? { figures: { pages: rb.pages } } : {}),
      });
    }
    const snb = snbBook(probe);
    if (snb) {
      return plain('analysable', {
        id: 'snb-ebook',
        name: 'Shanda Bambook e-book',
        confidence: 0.9,
        code: 'SNB_EBOOK_HEADER',
        message:
          'Shanda Bambook book ("SNBP000B" with its fixed revision words, a zlib-compressed file table at 44 and the magic again after the tail): calibre reads it; the format has no encryption field.',
        figures: { files: snb.files },
      });
    }
    const tcr = tcrBook(probe.head, probe.size);
    if (tcr) {
      return plain('analysable', {
        id: 'tcr-ebook',
        name: 'Psion TCR e-book',
        confidence: tcr.dictionary >= 0 ? 0.9 : 0.75,
        code: 'TCR_EBOOK_DICTIONARY',
        message:
          'Psion TCR text ("!!8-Bit!!" then 256 length-prefixed dictionary strings that stay inside the file): a clear, dictionary-compressed text calibre reads.',
        ...(tcr.dictionary >= 0 ? { figures: { dictionaryEnd: tcr.dictionary } } : {}),
      });
    }
    return undefined;
  },
});
