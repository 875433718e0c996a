/**
 * Windows memory on disk, as a full-file-system extraction or a triage collection copies it:
 * - hiberfil.sys, the hibernation file: a header page whose signature is "HIBR"/"hibr"
 *   (hibernated), "WAKE"/"wake" (resuming) or, before Windows 8, "RSTR"/"rstr", then pages of
 *   compressed memory (XPRESS). Windows zeroes the header page after a resume, so the name alone
 *   still tells it. High entropy, not encrypted.
 * - pagefile.sys and swapfile.sys, the paging files: raw memory pages with no header at all; a
 *   random first page (key material, compressed pages) made statistics read "TrueCrypt/VeraCrypt
 *   volume". Known by name only (a path rule), page-aligned.
 * Opaque: memory images need a memory-forensics tool, not a general reader. (Windows can encrypt
 * the paging file under a key it forgets at shutdown, EncryptPagingFile; that is not told apart
 * here, and no key for it exists anywhere to look for.)
 * References: libyal/dtformats "Windows hibernation file format" (PO_MEMORY_IMAGE: signature,
 * image type, checksum, header length, page number, page size); Microsoft "fsutil behavior".
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { afterStructureEnd, ascii, notingZeroPadding, plain, u32le, wholeBlocksEnd } from './util.js';

const PAGE = 4096;
const HIBERNATION = { id: 'windows-hibernation-file', name: 'Windows hibernation file (hiberfil.sys)' };
const PAGING = { id: 'windows-paging-file', name: 'Windows paging file (pagefile.sys, swapfile.sys)' };
const STATES: Record<string, string> = {
  HIBR: 'hibernated',
  hibr: 'hibernated',
  WAKE: 'resuming',
  wake: 'resuming',
  RSTR: 'hibernated (Windows 7 and earlier)',
  rstr: 'hibernated (Windows 7 and earlier)',
};

export const windowsMemoryFilesDetector = defineDetector({
  meta: {
    id: 'windows-memory-files',
    version: '1.1.0',
    title: 'Windows hibernation and paging files (hiberfil.sys, pagefile.sys, swapfile.sys)',
    formats: [
      { ...HIBERNATION, status: 'opaque', how: 'header-field', extensions: ['sys'] },
      { ...PAGING, status: 'opaque', how: 'path', extensions: ['sys'] },
    ],
  },
  minSize: PAGE,
  priority: 25,
  detect(probe): Detection | undefined {
    // Whole pages, or whole pages followed by one line end or NULs short of a page (a byte a copy appended): set aside.
    const end = wholeBlocksEnd(probe, 0, PAGE);
    if (end === undefined) return undefined;
    const name = probe.name.toLowerCase();
    const found =
      name === 'pagefile.sys' || name === 'swapfile.sys'
        ? paging(probe.name, end)
        : hibernation(probe.head, name === 'hiberfil.sys', end);
    return notingZeroPadding(found, afterStructureEnd(probe, end), 'the pages before them');
  },
});

function paging(name: string, size: number): Detection {
  return {
    ...plain('opaque', {
      ...PAGING,
      confidence: 0.8,
      code: 'WINDOWS_PAGING_FILE',
      message: `${name}: a Windows paging file (${size / PAGE} pages of raw memory, no header); random-looking pages are memory (keys, compressed pages), not a volume or ciphertext.`,
      figures: { pages: size / PAGE },
    }),
    basis: 'path',
  };
}

/**
 * The header page: the signature, then (64-bit layout) the header's own length at 0x0C and the
 * page size at 0x18, or (32-bit) the page size at 0x14. Without the name, only the signature plus
 * those fields count (a "RSTR" page is also an NTFS $LogFile restart page, so that one needs the name).
 */
function hibernation(h: Uint8Array, named: boolean, size: number): Detection | undefined {
  const signature = ascii(h, 0, 4);
  const state = STATES[signature];
  const headerLength = u32le(h, 0x0c) ?? 0;
  const fields = headerLength >= 0x40 && headerLength <= PAGE && (u32le(h, 0x18) === PAGE || u32le(h, 0x14) === PAGE);
  if (state && (named || (fields && !signature.startsWith('r') && !signature.startsWith('R')))) {
    return plain('opaque', {
      ...HIBERNATION,
      confidence: fields ? 0.95 : 0.85,
      code: 'HIBERNATION_HEADER',
      message: `Hibernation file header "${signature}" (${state}${fields ? `, ${headerLength}-byte header, 4096-byte pages` : ''}), then ${size / PAGE - 1} pages of compressed memory: high entropy, not encrypted.`,
      figures: { signature, pages: size / PAGE },
    });
  }
  if (!named) return undefined;
  // After a resume Windows zeroes the header page; the compressed pages stay behind it.
  const zeroed = h.subarray(0, Math.min(PAGE, h.length)).every((v) => v === 0);
  return {
    ...plain('opaque', {
      ...HIBERNATION,
      confidence: 0.8,
      code: 'HIBERNATION_FILE_NAME',
      message: `hiberfil.sys${zeroed ? ' with its header page zeroed (Windows does so after a resume)' : ''}: ${size / PAGE} pages of hibernation data (compressed memory): high entropy, not encrypted.`,
      figures: { pages: size / PAGE, headerZeroed: zeroed },
    }),
    basis: 'path',
  };
}
