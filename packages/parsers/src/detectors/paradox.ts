/**
 * Paradox tables (.db). libmagic knows none of those Paradox 4-7 write, so they fell to the statistics.
 * A table "protected" with a password keeps its header clear and enciphers every data block, but the key
 * that deciphers them is the 32-bit password checksum in the header itself (pxlib reads such tables without
 * the password), so by the class rules a protected table is readable, not encrypted: the reason says so.
 * A header is believed only when it holds together: a table file type, a block size Paradox uses, a
 * version, field types whose widths add up to the record size, and a file exactly as long as its blocks.
 * Reference: Kevin Mitchell, "Paradox file format" (PxFormat.txt): record size u16 at 0, header size u16
 * at 2, file type at 4 (0 indexed, 2 non-indexed table), block size in KiB at 5, record count u32 at 6,
 * file blocks u16 at 0x0C, field count u16 at 0x21, encryption u32 at 0x25 (Paradox 3.x; 0xFF00FF00 from
 * 4.0 on, which keep it at 0x5C), version id at 0x39 (3 = 3.0 ... 12 = 7.0), field types and widths at
 * 0x58 (3.x) or 0x78 (4.0 and later); pxlib (Debian's pxlib1) writes and reads the same.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u16le, u32le } from './util.js';

const TABLE_TYPES: Readonly<Record<number, string>> = { 0: 'indexed', 2: 'non-indexed' };
const BLOCK_KIB = new Set([1, 2, 3, 4, 8, 16, 32]);
const VERSIONS: Readonly<Record<number, string>> = {
  3: '3.0',
  4: '3.5',
  5: '4.x',
  6: '4.x',
  7: '4.x',
  8: '4.x',
  9: '4.x',
  10: '5.x',
  11: '5.x',
  12: '7.x',
};
/** Field types: alpha 0x01 to bytes 0x18 (pxlib's pxfAlpha..pxfBytes). */
const MAX_FIELD_TYPE = 0x18;
const MODERN_ENCRYPTION_MARK = 0xff00ff00;

export const paradoxDetector = defineDetector({
  meta: {
    id: 'paradox',
    version: '1.0.0',
    title: 'Paradox tables, with or without a password',
    formats: [
      {
        id: 'paradox-table',
        name: 'Paradox table',
        status: 'analysable',
        how: 'structure',
        mime: 'application/x-paradox',
        extensions: ['db'],
      },
    ],
  },
  // The header size (a multiple of 1 KiB) at offset 2.
  signatures: Array.from({ length: 16 }, (_, i) => ({
    offset: 2,
    hex: `00${((i + 1) * 4).toString(16).padStart(2, '0')}`,
  })),
  minSize: 0x400,
  priority: 45,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const recordSize = u16le(h, 0) ?? 0;
    const headerSize = u16le(h, 2) ?? 0;
    const tableType = TABLE_TYPES[h[4] ?? 0xff];
    const blockKib = h[5] ?? 0;
    const version = VERSIONS[h[0x39] ?? 0];
    const fields = u16le(h, 0x21) ?? 0;
    if (!tableType || !BLOCK_KIB.has(blockKib) || !version || fields < 1 || fields > 255) return undefined;
    if (recordSize < fields || headerSize % 0x400 !== 0) return undefined;
    // Every field's type and width, summing to the record size.
    const modern = h[0x39]! >= 5;
    const info = modern ? 0x78 : 0x58;
    if (info + 2 * fields > Math.min(headerSize, h.length)) return undefined;
    let width = 0;
    for (let i = 0; i < fields; i++) {
      const type = h[info + 2 * i]!;
      if (type < 1 || type > MAX_FIELD_TYPE) return undefined;
      width += h[info + 2 * i + 1]!;
    }
    if (width !== recordSize) return undefined;
    const blocks = u16le(h, 0x0c) ?? 0;
    if (probe.size !== headerSize + blocks * blockKib * 1024) return undefined;
    const records = u32le(h, 6) ?? 0;
    const legacyKey = u32le(h, 0x25) ?? 0;
    const key = modern && legacyKey === MODERN_ENCRYPTION_MARK ? (u32le(h, 0x5c) ?? 0) : legacyKey;
    const what = `A Paradox ${version} ${tableType} table (${fields} fields, ${records} records of ${recordSize} bytes in ${blocks} blocks of ${blockKib} KiB after a ${headerSize}-byte header)`;
    const figures = { versionId: h[0x39]!, fields, records, blocks, passwordProtected: key !== 0 };
    return plain('analysable', {
      id: 'paradox-table',
      name: 'Paradox table',
      mime: 'application/x-paradox',
      confidence: 0.85,
      code: key === 0 ? 'PARADOX_TABLE' : 'PARADOX_PASSWORD_KEY_IN_HEADER',
      message:
        key === 0
          ? `${what}: not password-protected; readable by pxlib and database converters.`
          : `${what}, password-protected: its data blocks are enciphered, but with the checksum 0x${key.toString(16).padStart(8, '0')} the header itself holds (offset ${modern ? '0x5C' : '0x25'}), so pxlib reads it without the password: not encrypted by the class rules.`,
      figures,
    });
  },
});
