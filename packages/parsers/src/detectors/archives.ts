/**
 * Archive containers at the signature level: ZIP (local header or empty
 * archive's end record), GZIP and POSIX/GNU TAR. Their members are scanned
 * in turn by the container sources. A first member flagged encrypted in its
 * local header (general-purpose bit 0) makes the archive `zip-encrypted` here;
 * the zip-encryption parser reads the central directory for the others.
 * References: PKWARE APPNOTE 6.3.10 §4.3; RFC 1952 §2.3; POSIX pax/ustar.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, startsWith, tarChecksumOk, u16le } from './util.js';

/** Names a ZIP container goes by (packages, documents and archives). */
const ZIP_EXTENSIONS = [
  'zip',
  'jar',
  'apk',
  'ipa',
  'aar',
  'xapk',
  'apks',
  'apkm',
  'aab',
  'msix',
  'msixbundle',
  'appx',
  'appxbundle',
  'nupkg',
  'epub',
  'docx',
  'xlsx',
  'pptx',
  'odt',
  'ods',
  'odp',
  'kmz',
  'hwpx',
  'xps',
  'oxps',
];

/** Compression methods APPNOTE 6.3 assigns (0-20, 93-99); another number is a damaged header, not a member. */
const ZIP_METHODS = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 19, 20, 93, 94, 95, 96, 97, 98, 99]);
/** General-purpose flag bits APPNOTE leaves unused (7-10) or reserved (14-15): no writer sets them. */
const UNUSED_FLAG_BITS = 0xc780;

/**
 * Whether the first local header is one a writer made: a known compression method and no unused flag bit.
 * A damaged or fuzzed header (all flag bits set) says nothing about encryption.
 */
function plausibleLocalHeader(h: Uint8Array): boolean {
  const flags = u16le(h, 6) ?? 0;
  return (flags & UNUSED_FLAG_BITS) === 0 && ZIP_METHODS.has(u16le(h, 8) ?? -1);
}

export const archivesDetector = defineDetector({
  meta: {
    id: 'archives',
    version: '1.1.0',
    title: 'ZIP, GZIP and TAR containers',
    formats: [
      {
        id: 'zip',
        name: 'ZIP archive',
        status: 'analysable',
        how: 'signature',
        mime: 'application/zip',
        extensions: [...ZIP_EXTENSIONS],
      },
      {
        id: 'zip-encrypted',
        name: 'ZIP archive with encrypted members',
        status: 'encrypted',
        how: 'header-field',
        mime: 'application/zip',
        extensions: [...ZIP_EXTENSIONS, '7z'],
      },
      {
        id: 'gzip',
        name: 'GZIP stream',
        status: 'analysable',
        how: 'signature',
        mime: 'application/gzip',
        // GnuCash books and KMyMoney documents are gzip'd XML under their own extensions (both apps' default).
        extensions: ['gz', 'tgz', 'gzip', 'gnucash', 'kmy'],
      },
      {
        id: 'tar',
        name: 'TAR archive',
        status: 'analysable',
        how: 'signature',
        mime: 'application/x-tar',
        // An OVF package in one file is a TAR named .ova (DMTF DSP0243, Open Virtualization Format: a single file).
        extensions: ['tar', 'ova'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '504b0304' },
    { offset: 0, hex: '504b0506' },
    { offset: 0, hex: '1f8b08' },
    { offset: 257, ascii: 'ustar' },
  ],
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (startsWith(h, 'PK\x03\x04') && (u16le(h, 6) ?? 0) & 1 && plausibleLocalHeader(h)) {
      const method = u16le(h, 8) ?? 0;
      const nameLength = u16le(h, 26) ?? 0;
      const name = ascii(h, 30, 30 + Math.min(nameLength, 120));
      const scheme =
        method === 99 ? 'winzip-aes' : (u16le(h, 6) ?? 0) & 0x40 ? 'pkware-strong-encryption' : 'zipcrypto';
      return locked({
        id: 'zip-encrypted',
        name: 'ZIP archive with encrypted members',
        mime: 'application/zip',
        confidence: 0.95,
        code: 'ZIP_LOCAL_HEADER_ENCRYPTED',
        message: `The first member's local header (${JSON.stringify(name)}) has the encryption bit set (${scheme}).`,
        figures: { method, firstMember: name },
        scheme,
        keyHint: { description: 'The archive password.', kind: 'password', present: 'unknown' },
      });
    }
    if (startsWith(h, 'PK\x03\x04') || startsWith(h, 'PK\x05\x06')) {
      return {
        format: { id: 'zip', name: 'ZIP archive', mime: 'application/zip' },
        status: 'analysable',
        confidence: 0.85,
        reasons: [
          {
            code: 'ZIP_SIGNATURE',
            message: `ZIP ${h[2] === 3 ? 'local file header' : 'end-of-central-directory'} signature at offset 0.`,
          },
        ],
      };
    }
    if (startsWith(h, '\x1f\x8b\x08')) {
      return {
        format: { id: 'gzip', name: 'GZIP stream', mime: 'application/gzip' },
        status: 'analysable',
        confidence: 0.9,
        reasons: [{ code: 'GZIP_SIGNATURE', message: 'GZIP magic 1f8b with DEFLATE method at offset 0.' }],
      };
    }
    if (ascii(h, 257, 262) === 'ustar' && tarChecksumOk(h)) {
      // The magic and a checksum over the header's 512 bytes are the file's own structure at offset 0: a format
      // found behind them (a PDF header within the first KiB, a PICT behind a 512-byte application header) is the
      // first member's, and must not outrank the archive, whose other members would go unlisted.
      return {
        format: { id: 'tar', name: 'TAR archive', mime: 'application/x-tar' },
        status: 'analysable',
        confidence: 0.97,
        reasons: [
          {
            code: 'TAR_USTAR_MAGIC',
            message: `"ustar" magic at offset 257 (${ascii(h, 263, 265) === '  ' ? 'GNU' : 'POSIX'} header), header checksum verified.`,
          },
        ],
      };
    }
    return undefined;
  },
});
