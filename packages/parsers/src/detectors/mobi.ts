/**
 * Palm Database e-books: Mobipocket/Kindle (`BOOKMOBI`: .mobi, .azw, .azw3,
 * .prc) and PalmDOC (`TEXtREAd`: .pdb), with the encryption type their first
 * record keeps in clear. Type 2 is Mobipocket DRM (the Kindle store's: the
 * text records need a key derived from the reading device's serial number or
 * PID) and type 1 the older Mobipocket encryption; 0 is none. The database
 * header is checked (type and creator, record count, record offsets ascending
 * inside the file) and the PalmDOC header of record 0 (compression 1, 2 or
 * HUFF/CDIC, encryption 0-2) before the flag is believed.
 * Kindle's KFX books are read too: a clear book is a "CONT" container
 * (version 1 or 2, header and container-info sizes inside the file), a
 * DRM-protected one a DRMION envelope (the 8-byte "\xeaDRMION\xee" magic,
 * then Amazon Ion binary from its version marker E0 01 00 EA) whose pages are
 * AES-encrypted with a key from the account voucher.
 * References: MobileRead wiki "PDB" (database header, record list) and
 * "MOBI" (PalmDOC header: compression, text length, record count, record
 * size, encryption type at 12; MOBI header, DRM offset/count/size/flags at
 * record offsets 0xA8-0xB4); KFX Input's yj_container/kfx_container (CONT
 * header: signature, version, header length, container info offset and
 * length; DRMION signature); Amazon Ion binary encoding (version marker).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { KINDLE_KEY_FILES } from './kindle-files.js';
import { ascii, locked, plain, startsWith, u16be, u16le, u32be, u32le } from './util.js';

const COMPRESSION: Record<number, string> = { 1: 'none', 2: 'PalmDOC', 17480: 'HUFF/CDIC' };
const KINDS: Record<string, string> = { BOOKMOBI: 'Mobipocket/Kindle e-book', TEXtREAd: 'PalmDOC e-book' };

interface PalmBook {
  kind: string;
  records: number;
  compression: string;
  encryption: number;
  textLength: number;
  drmCount?: number;
}

/** The book when the database header and record 0's PalmDOC header hold. */
function palmBook(h: Uint8Array, size: number): PalmBook | undefined {
  if (h.length < 78 + 8 + 16) return undefined;
  const kind = KINDS[ascii(h, 60, 68)];
  const records = u16be(h, 76)!;
  if (!kind || records === 0 || 78 + records * 8 > size) return undefined;
  // Record offsets ascend inside the file; check those the head holds (up to 64).
  let previous = 0;
  for (let i = 0; i < Math.min(records, 64) && 78 + i * 8 + 4 <= h.length; i++) {
    const at = u32be(h, 78 + i * 8)!;
    if (at < 78 + records * 8 || at > size || at < previous) return undefined;
    previous = at;
  }
  const r0 = u32be(h, 78)!;
  if (r0 + 16 > h.length) return undefined;
  const compression = COMPRESSION[u16be(h, r0)!];
  const encryption = u16be(h, r0 + 12)!;
  if (!compression || encryption > 2) return undefined;
  const book: PalmBook = { kind, records, compression, encryption, textLength: u32be(h, r0 + 4)! };
  // The MOBI header's DRM count (record offset 0xAC), when the header is long enough to hold it.
  if (ascii(h, r0 + 16, r0 + 20) === 'MOBI' && r0 + 0xb0 <= h.length && (u32be(h, r0 + 20) ?? 0) >= 0xb0 - 16)
    book.drmCount = u32be(h, r0 + 0xac)!;
  return book;
}

const DRMION = '\xeaDRMION\xee';
const ION_VERSION_MARKER = '\xe0\x01\x00\xea';

/** A KFX book: a DRMION envelope (encrypted) or a CONT container whose header fields fit the file. */
function kfxBook(h: Uint8Array, size: number): { drm: boolean; version?: number } | undefined {
  if (startsWith(h, DRMION)) return startsWith(h, ION_VERSION_MARKER, 8) ? { drm: true } : undefined;
  if (!startsWith(h, 'CONT') || h.length < 18) return undefined;
  const version = u16le(h, 4)!;
  const headerLength = u32le(h, 6)!;
  const infoOffset = u32le(h, 10)!;
  const infoLength = u32le(h, 14)!;
  if ((version !== 1 && version !== 2) || headerLength < 18 || headerLength > size) return undefined;
  if (infoLength === 0 || infoOffset + infoLength > size) return undefined;
  return { drm: false, version };
}

export const mobiDetector = defineDetector({
  meta: {
    id: 'mobi',
    version: '1.1.0',
    title: 'Mobipocket/Kindle, KFX and PalmDOC e-books, with their DRM',
    indexPatterns: KINDLE_KEY_FILES,
    formats: [
      {
        id: 'mobi',
        name: 'Mobipocket/Kindle e-book',
        status: 'analysable',
        how: 'header-field',
        mime: 'application/x-mobipocket-ebook',
        extensions: ['mobi', 'azw', 'azw3', 'prc'],
      },
      {
        id: 'mobi-drm',
        name: 'Mobipocket/Kindle e-book with DRM',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['mobi', 'azw', 'azw3', 'prc'],
      },
      { id: 'palmdoc', name: 'PalmDOC e-book', status: 'analysable', how: 'header-field', extensions: ['pdb', 'prc'] },
      {
        id: 'kfx',
        name: 'Kindle KFX book',
        status: 'analysable',
        how: 'header-field',
        extensions: ['kfx', 'azw', 'azw8'],
      },
      {
        id: 'kfx-drm',
        name: 'Kindle KFX book with DRM (DRMION)',
        status: 'encrypted',
        how: 'signature',
        extensions: ['kfx', 'azw', 'azw8'],
      },
    ],
  },
  signatures: [
    { offset: 60, ascii: 'BOOKMOBI' },
    { offset: 60, ascii: 'TEXtREAd' },
    { offset: 0, ascii: 'CONT' },
    { offset: 0, hex: 'ea44524d494f4eee' },
  ],
  minSize: 18,
  priority: 30,
  detect(probe): Detection | undefined {
    const kfx = kfxBook(probe.head, probe.size);
    if (kfx?.drm) {
      return locked({
        id: 'kfx-drm',
        name: 'Kindle KFX book with DRM (DRMION)',
        confidence: 0.95,
        code: 'KFX_DRMION',
        message:
          'Kindle KFX book in a DRMION envelope ("\\xeaDRMION\\xee", then Amazon Ion binary): its pages are AES-encrypted with a key the account voucher wraps for the device.',
        scheme: 'kindle-drmion',
        keyHint: {
          description:
            "The book's voucher (a .voucher file beside it) and the Kindle device's or app's account secret that unwraps it.",
          kind: 'keystore',
          present: 'unknown',
          lookFor: KINDLE_KEY_FILES,
        },
      });
    }
    if (kfx) {
      return plain('analysable', {
        id: 'kfx',
        name: 'Kindle KFX book',
        confidence: 0.9,
        code: 'KFX_CONTAINER',
        message: `Kindle KFX container ("CONT", version ${kfx.version}; header and container info inside the file), not in a DRMION envelope: readable.`,
        figures: { version: kfx.version ?? 0 },
      });
    }
    const book = palmBook(probe.head, probe.size);
    if (!book) return undefined;
    const mobi = book.kind.startsWith('Mobipocket');
    const header = `${book.kind}: Palm database of ${book.records} records, ${book.compression} compression, ${book.textLength} bytes of text`;
    const figures = {
      records: book.records,
      encryptionType: book.encryption,
      ...(book.drmCount !== undefined ? { drmCount: book.drmCount } : {}),
    };
    if (book.encryption > 0) {
      return locked({
        id: 'mobi-drm',
        name: 'Mobipocket/Kindle e-book with DRM',
        confidence: 0.95,
        code: 'MOBI_DRM',
        message: `${header}; the PalmDOC header's encryption type is ${book.encryption} (${book.encryption === 2 ? 'Mobipocket DRM' : 'old Mobipocket encryption'}): the text records need the reader's key.`,
        figures,
        scheme: book.encryption === 2 ? 'mobipocket-drm' : 'mobipocket-legacy',
        keyHint: {
          description:
            "The book key, derived from the Kindle device's serial number or the Mobipocket reader's PID (a Kindle app keeps it in its own storage).",
          kind: 'keystore',
          present: 'unknown',
          lookFor: KINDLE_KEY_FILES,
        },
      });
    }
    return plain('analysable', {
      id: mobi ? 'mobi' : 'palmdoc',
      name: mobi ? 'Mobipocket/Kindle e-book' : 'PalmDOC e-book',
      ...(mobi ? { mime: 'application/x-mobipocket-ebook' } : {}),
      confidence: 0.94,
      code: 'PALM_BOOK_CLEAR',
      message: `${header}; the encryption type is 0: readable.`,
      figures,
    });
  },
});
