/**
 * OneNote 2010 and later section files (.one, the MS-ONESTORE revision store). libmagic names them, so a
 * password-protected section was called readable. A protected section's object spaces are encrypted, and
 * every revision manifest of them carries an ObjectDataEncryptionKeyV2FNDX file node whose referenced
 * structure is framed by two fixed 64-bit markers, with the password's ECMA-376 agile encryption
 * information between them. The markers are looked for in the bytes read (head, tail and sampled blocks);
 * a whole file read without them is a clear section, a longer one is left to libmagic.
 * Reference: [MS-ONESTORE] §2.3.1 Header (guidFileType at 0, guidLegacyFileVersion zero at 32,
 * guidFileFormat at 48), §2.5.19 ObjectDataEncryptionKeyV2FNDX (Header 0xFB6BA385DAD1A067, Footer
 * 0x2649294F8E198B3C), §2.8 alternative packaging (guidFileFormat {638DE92F-...}); [MS-OFFCRYPTO] §2.3.4.10.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { guidAt, indexOf, locked, passwordHint, plain } from './util.js';

const SECTION_TYPE = 'e4525c7b8cd8a74daeb15378d02996d3';
const FORMATS = new Set(['109ADD3F-911B-49F5-A5D0-1791EDC8AED8', '638DE92F-A6D4-4BC1-9A36-B3FC2511A5B7']);
const KEY_HEADER = Uint8Array.from([0x67, 0xa0, 0xd1, 0xda, 0x85, 0xa3, 0x6b, 0xfb]);
const KEY_FOOTER = Uint8Array.from([0x3c, 0x8b, 0x19, 0x8e, 0x4f, 0x29, 0x49, 0x26]);
/** The encryption information between the markers is a few KiB of XML at most. */
const MAX_KEY_BYTES = 64 * 1024;

/** Offset of a framed encryption-key structure in a window, or -1. */
function keyStructure(bytes: Uint8Array): number {
  for (let at = indexOf(bytes, KEY_HEADER); at >= 0; at = indexOf(bytes, KEY_HEADER, at + 1)) {
    const end = indexOf(bytes, KEY_FOOTER, at + 8);
    if (end > at && end - at <= MAX_KEY_BYTES) return at;
  }
  return -1;
}

export const onenoteDetector = defineDetector({
  meta: {
    id: 'onenote',
    version: '1.0.0',
    title: 'OneNote section files and password-protected sections',
    formats: [
      {
        id: 'onenote',
        name: 'OneNote section',
        status: 'analysable',
        how: 'structure',
        mime: 'application/onenote',
        extensions: ['one'],
      },
      {
        id: 'onenote-encrypted',
        name: 'OneNote section, password-protected',
        status: 'encrypted',
        how: 'structure',
        mime: 'application/onenote',
        extensions: ['one'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: SECTION_TYPE }],
  minSize: 1024,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h.length < 64 || h.subarray(32, 48).some((b) => b !== 0)) return undefined;
    const format = guidAt(h, 48).toUpperCase();
    if (!FORMATS.has(format)) return undefined;
    const windows: Array<[string, Uint8Array]> = [
      ['head', h],
      ...probe.samples.map((s): [string, Uint8Array] => [`block at ${s.offset}`, s.bytes]),
      ['tail', probe.tail],
    ];
    for (const [where, bytes] of windows) {
      const at = keyStructure(bytes);
      if (at < 0) continue;
      return locked({
        id: 'onenote-encrypted',
        name: 'OneNote section, password-protected',
        mime: 'application/onenote',
        confidence: 0.95,
        code: 'ONENOTE_ENCRYPTION_KEY',
        message: `A OneNote section (revision store, file format {${format}}) holding an encryption-key structure (ObjectDataEncryptionKeyV2FNDX's 0xFB6BA385DAD1A067 … 0x2649294F8E198B3C) in the ${where}${where === 'head' ? ` at ${at}` : ''}: its object spaces are encrypted with the section password (ECMA-376 agile encryption).`,
        scheme: 'onenote-agile',
        keyHint: passwordHint('The section password OneNote asks for ("Password protect this section").'),
      });
    }
    if (!probe.complete) return undefined;
    return plain('analysable', {
      id: 'onenote',
      name: 'OneNote section',
      mime: 'application/onenote',
      confidence: 0.9,
      code: 'ONENOTE_SECTION',
      message: `A OneNote section (revision store, file format {${format}}) read whole, with no encryption-key structure: not password-protected.`,
    });
  },
});
