/**
 * ARJ and ACE archives, with the per-entry encryption flag each keeps in
 * clear: ARJ's GARBLED flag (arj -g) in the main and local headers, and ACE's
 * PASSWORD flag in file headers. An archive with any flagged entry is
 * encrypted; one without is readable.
 * References: ARJ technical note (arj TECHNOTE.DOC: header layout, arj flags
 * 0x01 GARBLED, 0x04 VOLUME); ACE 2.0 archive format as documented by
 * acefile (header: crc16, size, type, flags; FILE flags 0x0001 ADDSIZE,
 * 0x4000 PASSWORD).
 */
import zlib from 'node:zlib';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, plain, startsWith, u16le, u32le } from './util.js';

const ARJ_GARBLED = 0x01;
const ACE_ADDSIZE = 0x0001;
const ACE_PASSWORD = 0x4000;

/** Walks ARJ headers in the head: [headers seen, garbled entries, entries]. */
function arjHeaders(
  h: Uint8Array,
): { headers: number; garbled: number; entries: number; mainFlags: number } | undefined {
  let at = 0;
  let headers = 0;
  let garbled = 0;
  let entries = 0;
  let mainFlags = 0;
  while (at + 4 <= h.length && headers < 256) {
    if (h[at] !== 0x60 || h[at + 1] !== 0xea) break;
    const size = u16le(h, at + 2)!;
    if (size === 0) break; // end-of-archive marker
    if (size > 2600 || at + 4 + size + 4 > h.length) break;
    const flags = h[at + 4 + 4]!;
    if (headers === 0) mainFlags = flags;
    else {
      entries++;
      if (flags & ARJ_GARBLED) garbled++;
    }
    headers++;
    // basic header, CRC32, then extended headers (u16 size, data, CRC32) up to a zero size
    let next = at + 4 + size + 4;
    for (let n = 0; n < 8; n++) {
      const ext = u16le(h, next);
      if (ext === undefined) return { headers, garbled, entries, mainFlags };
      next += 2;
      if (ext === 0) break;
      next += ext + 4;
    }
    if (headers > 1) next += u32le(h, at + 4 + 12) ?? 0; // compressed size of the entry's data
    at = next;
  }
  return headers > 0 ? { headers, garbled, entries, mainFlags } : undefined;
}

/** Walks ACE headers in the head: counts of file headers and of those with the password flag. */
function aceHeaders(h: Uint8Array): { files: number; locked: number; mainFlags: number } {
  let at = 0;
  let files = 0;
  let withPassword = 0;
  let mainFlags = 0;
  for (let n = 0; n < 512 && at + 7 <= h.length; n++) {
    const size = u16le(h, at + 2)!;
    const type = h[at + 4]!;
    const flags = u16le(h, at + 5)!;
    if (size < 3) break;
    if (n === 0) mainFlags = flags;
    let next = at + 4 + size;
    if (type === 1 || type === 3) {
      files++;
      if (flags & ACE_PASSWORD) withPassword++;
    }
    if (n > 0 && flags & ACE_ADDSIZE) {
      const add =
        type === 3 ? (u32le(h, at + 7) ?? 0) + (u32le(h, at + 11) ?? 0) * 0x1_0000_0000 : (u32le(h, at + 7) ?? 0);
      next += add;
    }
    at = next;
  }
  return { files, locked: withPassword, mainFlags };
}

function aceHeaderCrcHolds(h: Uint8Array): boolean {
  const size = u16le(h, 2) ?? 0;
  if (size < 3 || 4 + size > h.length) return false;
  return ((zlib.crc32(h.subarray(4, 4 + size)) ^ 0xffffffff) & 0xffff) === u16le(h, 0);
}

const archivePassword = (tool: string) => ({
  description: `The ${tool} archive password.`,
  kind: 'password' as const,
  present: 'unknown' as const,
});

export const legacyArchivesDetector = defineDetector({
  meta: {
    id: 'legacy-archives',
    version: '1.0.0',
    title: 'ARJ and ACE archives, with their encryption flags',
    formats: [
      { id: 'arj', name: 'ARJ archive', status: 'analysable', how: 'header-field', extensions: ['arj'] },
      {
        id: 'arj-encrypted',
        name: 'ARJ archive, garbled (password-protected)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['arj'],
      },
      { id: 'ace', name: 'ACE archive', status: 'analysable', how: 'header-field', extensions: ['ace'] },
      {
        id: 'ace-encrypted',
        name: 'ACE archive, password-protected',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['ace'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '60ea' },
    { offset: 7, ascii: '**ACE**' },
  ],
  minSize: 16,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    // The main header's CRC (ACE's: CRC-32 without its final inversion, low 16 bits): the seven-byte magic
    // before other bytes is a damaged or overwritten archive, which the fallbacks judge.
    if (startsWith(h, '**ACE**', 7) && aceHeaderCrcHolds(h)) {
      const { files, locked: withPassword, mainFlags } = aceHeaders(h);
      const version = h[15] ?? 0;
      if (withPassword > 0) {
        return locked({
          id: 'ace-encrypted',
          name: 'ACE archive, password-protected',
          confidence: 0.96,
          code: 'ACE_PASSWORD_FLAG',
          message: `ACE archive (format version ${version / 10}): ${withPassword} of ${files} file header(s) in the first ${h.length} bytes have the password flag (0x4000).`,
          figures: { files, encrypted: withPassword, mainFlags },
          scheme: 'ace-blowfish',
          scope: withPassword < files ? 'partial' : 'full',
          keyHint: archivePassword('ACE'),
        });
      }
      return plain('analysable', {
        id: 'ace',
        name: 'ACE archive',
        confidence: 0.93,
        code: 'ACE_NO_PASSWORD_FLAG',
        message: `ACE archive (format version ${version / 10}): none of the ${files} file header(s) read has the password flag.`,
        figures: { files, mainFlags },
      });
    }
    if (h[0] === 0x60 && h[1] === 0xea) {
      const r = arjHeaders(h);
      const firstSize = h[4] ?? 0;
      if (!r || firstSize < 0x1e || firstSize > 0x40 || h[10] !== 2) return undefined; // main header: file type 2 (comment header)
      const name = ascii(h, 4 + firstSize, Math.min(h.length, 4 + firstSize + 64)).split('\0')[0]!;
      if (r.mainFlags & ARJ_GARBLED || r.garbled > 0) {
        return locked({
          id: 'arj-encrypted',
          name: 'ARJ archive, garbled (password-protected)',
          confidence: 0.95,
          code: 'ARJ_GARBLED_FLAG',
          message: `ARJ archive "${name}": the GARBLED flag (0x01) is set in the main header${r.entries ? ` and in ${r.garbled} of ${r.entries} entry header(s) read` : ''}; the entries are encrypted with the password (arj -g).`,
          figures: {
            entries: r.entries,
            garbled: r.garbled,
            mainFlags: r.mainFlags,
            encryptionVersion: h[4 + 0x1c] ?? 0,
          },
          scheme: (h[4 + 0x1c] ?? 0) >= 3 ? 'arj-gost40' : 'arj-garble',
          scope: r.entries > 0 && r.garbled < r.entries ? 'partial' : 'full',
          keyHint: archivePassword('ARJ'),
        });
      }
      return plain('analysable', {
        id: 'arj',
        name: 'ARJ archive',
        confidence: 0.93,
        code: 'ARJ_NOT_GARBLED',
        message: `ARJ archive "${name}": no GARBLED flag in the main header or the ${r.entries} entry header(s) read.`,
        figures: { entries: r.entries, mainFlags: r.mainFlags },
      });
    }
    return undefined;
  },
});
