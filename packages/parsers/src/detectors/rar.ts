/**
 * RAR archives, versions 1.5-4.x ("Rar!\x1a\x07\x00") and 5 ("Rar!\x1a\x07\x01\x00"),
 * with the encryption their headers declare: RAR4 main-header flag
 * MHD_PASSWORD (encrypted headers, `-hp`) and file-header flag LHD_PASSWORD;
 * RAR5 archive-encryption header (type 4) and the file-encryption extra record.
 * The headers in the probe are walked; an archive whose first file headers
 * are clear and unflagged is analysable.
 * References: RARLAB technote.txt (RAR 2.9/4.x block format); RARLAB "RAR 5.0
 * archive format" (general header, extra record type 0x01).
 */
import zlib from 'node:zlib';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, plain, startsWith, u16le, u32le, varint } from './util.js';

const HINT = { description: 'The archive password.', kind: 'password' as const, present: 'unknown' as const };

interface RarFacts {
  version: 4 | 5;
  headersEncrypted: boolean;
  files: number;
  encryptedFiles: number;
  /** True when the walk reached the end of the archive (or of its file list). */
  complete: boolean;
}

function walk4(h: Uint8Array, start: number): RarFacts {
  const f: RarFacts = { version: 4, headersEncrypted: false, files: 0, encryptedFiles: 0, complete: false };
  let at = start;
  for (let n = 0; n < 10_000; n++) {
    const type = h[at + 2];
    const flags = u16le(h, at + 3);
    const size = u16le(h, at + 5);
    if (type === undefined || flags === undefined || size === undefined || size < 7) return f;
    if (type === 0x73 && flags & 0x0080) {
      f.headersEncrypted = true;
      f.complete = true;
      return f;
    }
    let add = 0;
    if (type === 0x74) {
      f.files++;
      if (flags & 0x0004) f.encryptedFiles++;
      add = u32le(h, at + 7) ?? 0;
    } else if (flags & 0x8000) add = u32le(h, at + 7) ?? 0;
    if (type === 0x7b) {
      f.complete = true;
      return f;
    }
    at += size + add;
    if (at >= h.length) return f;
  }
  return f;
}

function walk5(h: Uint8Array, start: number): RarFacts {
  const f: RarFacts = { version: 5, headersEncrypted: false, files: 0, encryptedFiles: 0, complete: false };
  let at = start;
  for (let n = 0; n < 10_000; n++) {
    const sizeV = varint(h, at + 4);
    if (!sizeV) return f;
    const [headerSize, afterSize] = sizeV;
    const headerEnd = afterSize + headerSize;
    const typeV = varint(h, afterSize);
    const flagsV = typeV && varint(h, typeV[1]);
    if (!typeV || !flagsV) return f;
    const [type] = typeV;
    const [flags, afterFlags] = flagsV;
    let p = afterFlags;
    let extraSize = 0;
    let dataSize = 0;
    if (flags & 1) {
      const e = varint(h, p);
      if (!e) return f;
      [extraSize, p] = e;
    }
    if (flags & 2) {
      const d = varint(h, p);
      if (!d) return f;
      [dataSize] = d;
    }
    if (type === 4) {
      f.headersEncrypted = true;
      f.complete = true;
      return f;
    }
    if (type === 2) {
      f.files++;
      // The extra area is the last extraSize bytes of the header; look for a file-encryption record (type 1).
      let e = headerEnd - extraSize;
      while (extraSize > 0 && e < headerEnd) {
        const rs = varint(h, e);
        const rt = rs && varint(h, rs[1]);
        if (!rs || !rt) break;
        if (rt[0] === 1) {
          f.encryptedFiles++;
          break;
        }
        e = rs[1] + rs[0];
      }
    }
    if (type === 5) {
      f.complete = true;
      return f;
    }
    at = headerEnd + dataSize;
    if (at >= h.length) return f;
  }
  return f;
}

/**
 * The first header after the signature must be the main archive header (or, in
 * RAR5, the archive-encryption header) and its CRC must check.
 */
function firstHeaderValid(h: Uint8Array, v5: boolean): boolean {
  if (!v5) {
    const size = u16le(h, 12);
    if (h[9] !== 0x73 || size === undefined || size < 13 || 7 + size > h.length) return false;
    // RAR 2.x archive comments sit inside the main header but outside its CRC (which then covers the 11 fixed bytes).
    const crc = u16le(h, 7);
    return (zlib.crc32(h.subarray(9, 7 + size)) & 0xffff) === crc || (zlib.crc32(h.subarray(9, 20)) & 0xffff) === crc;
  }
  const sizeV = varint(h, 12);
  if (!sizeV) return false;
  const end = sizeV[1] + sizeV[0];
  const type = varint(h, sizeV[1]);
  if (!type || (type[0] !== 1 && type[0] !== 4) || end > h.length) return false;
  return zlib.crc32(h.subarray(12, end)) === u32le(h, 8);
}

export const rarDetector = defineDetector({
  meta: {
    id: 'rar',
    version: '1.0.0',
    title: 'RAR archives (1.5-4.x and 5) and their encryption',
    formats: [
      {
        id: 'rar',
        name: 'RAR archive',
        status: 'analysable',
        how: 'signature',
        mime: 'application/vnd.rar',
        extensions: ['rar', 'cbr', 'sfx', 'exe'],
      },
      {
        id: 'rar-encrypted',
        name: 'RAR archive, encrypted',
        status: 'encrypted',
        how: 'header-field',
        mime: 'application/vnd.rar',
        extensions: ['rar', 'cbr', 'sfx', 'exe'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '526172211a0700' },
    { offset: 0, hex: '526172211a070100' },
  ],
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const v5 = startsWith(h, 'Rar!\x1a\x07\x01\x00');
    if (!firstHeaderValid(h, v5)) return undefined;
    const f = v5 ? walk5(h, 8) : walk4(h, 7);
    const figures = {
      rarVersion: f.version,
      headersEncrypted: f.headersEncrypted,
      fileHeadersRead: f.files,
      encryptedFiles: f.encryptedFiles,
      walkComplete: f.complete,
    };
    if (f.headersEncrypted) {
      return locked({
        id: 'rar-encrypted',
        name: 'RAR archive, encrypted',
        mime: 'application/vnd.rar',
        confidence: 0.98,
        code: 'RAR_HEADERS_ENCRYPTED',
        message: `RAR${f.version} archive with encrypted headers: even the file names need the password.`,
        figures,
        scheme: f.version === 5 ? 'rar5-aes-256' : 'rar3-aes-128',
        keyHint: HINT,
      });
    }
    if (f.encryptedFiles > 0) {
      const all = f.encryptedFiles === f.files && f.complete;
      return locked({
        id: 'rar-encrypted',
        name: 'RAR archive, encrypted',
        mime: 'application/vnd.rar',
        confidence: 0.97,
        code: 'RAR_FILES_ENCRYPTED',
        message: `RAR${f.version} archive: ${f.encryptedFiles} of the ${f.files} file header(s) read are flagged encrypted; names are readable, contents need the password.`,
        figures,
        scope: all ? 'full' : 'partial',
        scheme: f.version === 5 ? 'rar5-aes-256' : 'rar-password',
        keyHint: HINT,
      });
    }
    return plain('analysable', {
      id: 'rar',
      name: 'RAR archive',
      mime: 'application/vnd.rar',
      confidence: f.complete || f.files > 0 ? 0.95 : 0.85,
      code: 'RAR_NOT_ENCRYPTED',
      message: `RAR${f.version} archive; ${f.files} file header(s) read, none flagged encrypted${f.complete ? '' : ' (the walk stopped at the end of the probe)'}.`,
      figures,
    });
  },
});
