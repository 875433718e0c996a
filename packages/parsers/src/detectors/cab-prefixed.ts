/**
 * Microsoft cabinets behind a prefix: bytes before the "MSCF" header, as in
 * a file cut from a disk or an installer with a stub that is not an executable
 * (an executable stub is the executable's detector's). cabextract and
 * libmspack's cabd->search() look for the header anywhere; so does this, in the
 * probe's head, and it believes a hit only when the header's fields agree:
 * reserved words zero, format version 1.3, at least one folder and one file,
 * the first file entry after the folder entries and inside the cabinet, and the
 * cabinet's stated size within the file.
 * Fallback: runs only on items nothing else recognised.
 * Reference: [MS-CAB] §2.1 CFHEADER; libmspack cabd.c cabd_find().
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u16le, u32le } from './util.js';

const HEADER_BYTES = 36;
const FOLDER_BYTES = 8;
/** Flags defined by [MS-CAB]: previous cabinet, next cabinet, reserve fields present. */
const KNOWN_FLAGS = 0x0007;

interface Cabinet {
  at: number;
  size: number;
  folders: number;
  files: number;
}

/** The CFHEADER at `at`, when its fields are consistent with a cabinet in a file of `fileSize` bytes. */
export function cabinetAt(h: Uint8Array, at: number, fileSize: number): Cabinet | undefined {
  if (at + HEADER_BYTES > h.length) return undefined;
  if (h[at] !== 0x4d || h[at + 1] !== 0x53 || h[at + 2] !== 0x43 || h[at + 3] !== 0x46) return undefined; // "MSCF"
  if (u32le(h, at + 4) !== 0 || u32le(h, at + 12) !== 0 || u32le(h, at + 20) !== 0) return undefined;
  if (h[at + 24] !== 3 || h[at + 25] !== 1) return undefined;
  const size = u32le(h, at + 8)!;
  const firstFile = u32le(h, at + 16)!;
  const folders = u16le(h, at + 26)!;
  const files = u16le(h, at + 28)!;
  const flags = u16le(h, at + 30)!;
  if (folders === 0 || files === 0 || (flags & ~KNOWN_FLAGS) !== 0) return undefined;
  if (size < HEADER_BYTES || at + size > fileSize) return undefined;
  if (firstFile < HEADER_BYTES + folders * FOLDER_BYTES || firstFile >= size) return undefined;
  return { at, size, folders, files };
}

export const cabPrefixedDetector = defineDetector({
  meta: {
    id: 'cab-prefixed',
    version: '1.0.0',
    title: 'Microsoft cabinets behind a prefix',
    formats: [
      { id: 'cab-prefixed', name: 'Microsoft cabinet behind a prefix', status: 'analysable', how: 'structure' },
    ],
  },
  minSize: HEADER_BYTES + 1,
  fallback: true,
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    // At offset 0 it is a plain cabinet (file-type's); search from the first byte after.
    for (let at = h.indexOf(0x4d, 1); at > 0; at = h.indexOf(0x4d, at + 1)) {
      const cab = cabinetAt(h, at, probe.size);
      if (!cab) continue;
      return plain('analysable', {
        id: 'cab-prefixed',
        name: 'Microsoft cabinet behind a prefix',
        mime: 'application/vnd.ms-cab-compressed',
        confidence: 0.85,
        code: 'CAB_PREFIXED',
        message: `Cabinet header "MSCF" at offset ${cab.at} after a prefix: reserved fields zero, version 1.3, ${cab.folders} folder${cab.folders === 1 ? '' : 's'}, ${cab.files} file${cab.files === 1 ? '' : 's'}, the first file entry inside its ${cab.size} bytes, which the file holds.`,
        figures: { prefixBytes: cab.at, cabinetBytes: cab.size, folders: cab.folders, files: cab.files },
      });
    }
    return undefined;
  },
});
