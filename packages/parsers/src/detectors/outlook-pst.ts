/**
 * Outlook personal and offline stores (.pst, .ost): the header's bCryptMethod says how data blocks
 * are stored. None, permute and cyclic are fixed byte encodings with no secret (any PST reader
 * undoes them): analysable. 0x10, NDB_CRYPT_EDPCRYPTED, is Windows Information Protection: the
 * blocks are encrypted under the enterprise's data-protection key held by Windows for the user,
 * not in the file: encrypted. A PST "password" is only a CRC of the password stored in the message
 * store (PidTagPstPassword), checked by Outlook and ignored by every other reader: never encryption.
 * The header CRCs must hold before the crypt byte is believed (dwCRCPartial over the 471 bytes from
 * wMagicClient; for Unicode also dwCRCFull over 516, the only one that covers its crypt byte), so a
 * damaged or look-alike header is left to libmagic.
 * References: [MS-PST] 2.2.2.6 HEADER (Unicode: bCryptMethod at 513; ANSI: at 461; wVer 14/15 ANSI,
 * 23 Unicode, 36/37 Unicode with 4 KiB pages), 5.3 CRC calculation.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, plain, u16le, u32le } from './util.js';

/** [MS-PST] 5.3: the reflected CRC-32 table, started at 0 and not complemented. */
const TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function pstCrc(b: Uint8Array): number {
  let crc = 0;
  for (const v of b) crc = (TABLE[(crc ^ v) & 0xff]! ^ (crc >>> 8)) >>> 0;
  return crc;
}

const METHODS: Record<number, string> = {
  0: 'none (data blocks stored as they are)',
  1: 'permute (a fixed byte substitution, no key)',
  2: 'cyclic (a fixed keystream seeded by the block id, no key)',
};
const PST = { id: 'outlook-pst', name: 'Outlook personal or offline store (.pst, .ost)' };
const PST_WIP = { id: 'outlook-pst-wip', name: 'Outlook store encrypted with Windows Information Protection' };

export const outlookPstDetector = defineDetector({
  meta: {
    id: 'outlook-pst',
    version: '1.0.0',
    title: "Outlook PST/OST stores and their header's encryption byte",
    formats: [
      { ...PST, status: 'analysable', how: 'header-field', extensions: ['pst', 'ost'] },
      { ...PST_WIP, status: 'encrypted', how: 'header-field', extensions: ['pst', 'ost'] },
    ],
  },
  minSize: 0x210,
  priority: 20,
  signatures: [{ offset: 0, ascii: '!BDN' }],
  detect(probe): Detection | undefined {
    const h = probe.head;
    const client = String.fromCharCode(h[8] ?? 0, h[9] ?? 0);
    const version = u16le(h, 10) ?? 0;
    const unicode = version === 23 || version === 36 || version === 37;
    if ((client !== 'SM' && client !== 'SO') || (!unicode && version !== 14 && version !== 15)) return undefined;
    // The partial CRC covers an ANSI header's crypt byte; a Unicode header's only the full CRC (516 bytes) covers.
    if (h.length < 0x210 || pstCrc(h.subarray(8, 8 + 471)) !== u32le(h, 4)) return undefined;
    if (unicode && pstCrc(h.subarray(8, 8 + 516)) !== u32le(h, 0x20c)) return undefined;
    const at = unicode ? 513 : 461;
    const method = h[at];
    if (method === undefined || h[at - 1] !== 0x80) return undefined; // bSentinel precedes it
    const store = client === 'SO' ? 'offline store (.ost)' : 'personal store (.pst)';
    const layout = unicode ? `Unicode, version ${version}` : `ANSI, version ${version}`;
    const figures = { wVer: version, bCryptMethod: method };
    if (method === 0x10) {
      return locked({
        ...PST_WIP,
        confidence: 0.95,
        code: 'PST_CRYPT_EDP',
        message: `Outlook ${store} (${layout}; header CRC verified) with bCryptMethod 0x10, NDB_CRYPT_EDPCRYPTED: its data blocks are encrypted with Windows Information Protection.`,
        figures,
        scheme: 'pst-windows-information-protection',
        keyHint: {
          description:
            "The enterprise data-protection (WIP/EDP) key Windows holds for the user's work identity; not in the file.",
          kind: 'keystore',
          present: 'unknown',
        },
      });
    }
    const encoding = METHODS[method];
    if (!encoding) return undefined;
    return plain('analysable', {
      ...PST,
      confidence: 0.95,
      code: 'PST_CRYPT_METHOD',
      message: `Outlook ${store} (${layout}; header CRC verified), bCryptMethod ${method}: ${encoding}. Readable by any PST reader without a secret; a PST password, if set, is only a CRC check in the message store, not encryption.`,
      figures,
    });
  },
});
