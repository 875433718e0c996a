/**
 * WordPerfect 5.x-X9 documents: every file since WordPerfect 5.0 opens with the 16-byte WPC prefix, whose
 * password field says whether the document is locked. A document saved with a password keeps the prefix clear
 * and XORs every later byte with the password and a counter, so libmagic still calls it a plain document.
 * Only documents (file type 0x0A) are claimed; graphics, macros and other WPC files are left to libmagic.
 * Reference: Corel's WordPerfect SDK, "WordPerfect File Format" (the WPC prefix: 0xFF "WPC", document pointer
 * u32 at 4, product type at 8, file type at 9, major/minor version at 10-11, encryption u16 at 12: the
 * password's checksum, big-endian in 5.x, 0 when clear); libwpd's WPXHeader and WPXEncryption read the same.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, passwordHint, plain, u16le, u32le } from './util.js';

const PREFIX_BYTES = 16;
const DOCUMENT = 0x0a;
const WORDPERFECT = 1;
const VERSIONS: Readonly<Record<number, string>> = { 0: '5.x', 1: '5.x for Windows', 2: '6 or later' };

export const wordperfectDetector = defineDetector({
  meta: {
    id: 'wordperfect',
    version: '1.0.0',
    title: 'WordPerfect documents and their password field',
    formats: [
      {
        id: 'wordperfect',
        name: 'WordPerfect document',
        status: 'analysable',
        how: 'header-field',
        mime: 'application/vnd.wordperfect',
        extensions: ['wpd', 'wp', 'wp5', 'wp6', 'wpt'],
      },
      {
        id: 'wordperfect-encrypted',
        name: 'WordPerfect document, password-protected',
        status: 'encrypted',
        how: 'header-field',
        mime: 'application/vnd.wordperfect',
        extensions: ['wpd', 'wp', 'wp5', 'wp6'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: 'ff575043' }],
  minSize: PREFIX_BYTES,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const pointer = u32le(h, 4) ?? 0;
    const [product, fileType, major, minor] = [h[8], h[9], h[10] ?? 0xff, h[11] ?? 0];
    const version = VERSIONS[major];
    if (product !== WORDPERFECT || fileType !== DOCUMENT || !version) return undefined;
    if (pointer < PREFIX_BYTES || pointer > probe.size) return undefined;
    const field = u16le(h, 12) ?? 0;
    const what = `WordPerfect ${version} document (WPC prefix: product ${product}, file type 0x0A, version ${major}.${minor}, document area at ${pointer})`;
    if (field === 0)
      return plain('analysable', {
        id: 'wordperfect',
        name: 'WordPerfect document',
        mime: 'application/vnd.wordperfect',
        confidence: 0.95,
        code: 'WORDPERFECT_CLEAR',
        message: `${what} whose password field is 0: not encrypted.`,
        figures: { majorVersion: major, minorVersion: minor },
      });
    // 5.x stores the checksum big-endian; the value only tells that a password is set, not the password.
    const checksum = major === 0 ? ((field & 0xff) << 8) | (field >> 8) : field;
    return locked({
      id: 'wordperfect-encrypted',
      name: 'WordPerfect document, password-protected',
      mime: 'application/vnd.wordperfect',
      confidence: 0.95,
      code: 'WORDPERFECT_PASSWORD',
      message: `${what} whose password field holds the checksum 0x${checksum.toString(16).padStart(4, '0')}: every byte after the prefix is XORed with the password.`,
      figures: { majorVersion: major, minorVersion: minor, passwordChecksum: checksum },
      scheme: 'wordperfect-xor',
      keyHint: passwordHint(
        'The document password WordPerfect asks for (case-insensitive). The XOR is weak: known-plaintext recovery tools find it from the file alone.',
      ),
    });
  },
});
