/**
 * ALZip archives (`.alz`, ESTsoft, common on Korean Windows machines), with
 * the per-entry encryption flag each local file header keeps in clear. An
 * archive with any flagged entry is encrypted; one without is readable.
 * Layout (little-endian): "ALZ\x01" and 4 bytes; then records. A local file
 * header "BLZ\x01": name length (u16), attribute (u8), DOS time (u32), file
 * descriptor (u8: 0x01 encrypted, 0x08 data descriptor, high nibble the
 * width of the size fields, 1/2/4/8 bytes), one byte; when the width is not
 * 0, method (u8), one byte, CRC-32 (u32), packed and unpacked sizes; the
 * name; for an encrypted entry a 12-byte PKWARE-style encryption header;
 * the data. "CLZ\x01" opens the central directory, "CLZ\x02" ends it.
 * References: unalz (Debian `unalz`, UnAlz.cpp/UnAlz.h: SIG_LOCAL_FILE_HEADER,
 * ALZ_FILE_DESCRIPTOR_ENCRYPTED, ENCR_HEADER_LEN).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, plain, startsWith, u16le, u32le } from './util.js';

const ENCRYPTED = 0x01;
const DATA_DESCRIPTOR = 0x08;
const ENCRYPTION_HEADER = 12;
const WIDTHS = new Set([0, 1, 2, 4, 8]);

/** A little-endian unsigned integer of 1, 2, 4 or 8 bytes (safe up to 2^53). */
function uintLE(h: Uint8Array, at: number, width: number): number | undefined {
  if (at + width > h.length) return undefined;
  let v = 0;
  for (let i = width - 1; i >= 0; i--) v = v * 256 + h[at + i]!;
  return v;
}

interface Walk {
  entries: number;
  encrypted: number;
  /** Why the walk stopped: the central directory, the end of the probe, or a bad header. */
  end: 'directory' | 'probe' | 'bad-header';
}

/** Walks the local file headers from offset 8 as far as the head allows. */
function walk(h: Uint8Array): Walk | undefined {
  let at = 8;
  let entries = 0;
  let encrypted = 0;
  while (entries < 4096) {
    if (at + 4 > h.length) return { entries, encrypted, end: 'probe' };
    if (startsWith(h, 'CLZ\x01', at) || startsWith(h, 'CLZ\x02', at)) return { entries, encrypted, end: 'directory' };
    if (!startsWith(h, 'BLZ\x01', at)) return entries > 0 ? { entries, encrypted, end: 'bad-header' } : undefined;
    const nameLength = u16le(h, at + 4);
    const descriptor = h[at + 11];
    if (nameLength === undefined || descriptor === undefined) return { entries, encrypted, end: 'probe' };
    const width = descriptor >> 4;
    // A name is 1-1024 bytes and the size width one of the defined values; else this is not ALZ.
    if (nameLength === 0 || nameLength > 1024 || !WIDTHS.has(width)) {
      return entries > 0 ? { entries, encrypted, end: 'bad-header' } : undefined;
    }
    entries++;
    if (descriptor & ENCRYPTED) encrypted++;
    let next = at + 13;
    let packed = 0;
    if (width > 0) {
      const size = uintLE(h, next + 6, width);
      if (size === undefined) return { entries, encrypted, end: 'probe' };
      packed = size;
      next += 6 + 2 * width;
    }
    next += nameLength + (descriptor & ENCRYPTED ? ENCRYPTION_HEADER : 0) + packed;
    if (descriptor & DATA_DESCRIPTOR) return { entries, encrypted, end: 'probe' }; // sizes follow the data
    at = next;
  }
  return { entries, encrypted, end: 'probe' };
}

export const alzipDetector = defineDetector({
  meta: {
    id: 'alzip',
    version: '1.0.0',
    title: 'ALZip archives (.alz) and their encryption flag',
    formats: [
      { id: 'alz', name: 'ALZip archive', status: 'analysable', how: 'header-field', extensions: ['alz'] },
      {
        id: 'alz-encrypted',
        name: 'ALZip archive, password-protected',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['alz'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '414c5a01' }],
  minSize: 12,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!startsWith(h, 'ALZ\x01', 0)) return undefined;
    const r = walk(h);
    if (!r) return undefined;
    const headerWord = u32le(h, 4) ?? 0;
    const figures = { entries: r.entries, encrypted: r.encrypted, walkEnd: r.end, headerWord };
    const read = `${r.entries} local file header(s) read (walk ended at: ${r.end})`;
    if (r.encrypted > 0) {
      return locked({
        id: 'alz-encrypted',
        name: 'ALZip archive, password-protected',
        confidence: 0.95,
        code: 'ALZ_ENCRYPTED_FLAG',
        message: `ALZip archive: ${r.encrypted} of ${read} have the encrypted flag (0x01 in the file descriptor) and a 12-byte encryption header before their data.`,
        figures,
        scheme: 'alz-pkware-traditional',
        scope: r.encrypted < r.entries ? 'partial' : 'full',
        keyHint: {
          description: 'The ALZip archive password (entries use the PKWARE traditional stream cipher).',
          kind: 'password',
          present: 'unknown',
        },
      });
    }
    return plain('analysable', {
      id: 'alz',
      name: 'ALZip archive',
      confidence: r.entries > 0 ? 0.93 : 0.85,
      code: 'ALZ_NOT_ENCRYPTED',
      message: `ALZip archive: none of the ${read} has the encrypted flag.`,
      figures,
    });
  },
});
