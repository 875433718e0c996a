/**
 * Record formats common in extractions that the file-type library does not
 * know: Apple System Log stores ("ASL DB"), Safari/iOS binary cookies
 * ("cook"), Windows XML event logs ("ElfFile"), and cpio archives in the
 * newc/crc and odc ASCII forms. All are analysable with an ordinary parser.
 * References: libyal/dtformats documentation (Apple System Log, Safari
 * Cookies); [MS-EVEN6] / libevtx documentation (file header); cpio(5)
 * (070701, 070702, 070707 magics).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, startsWith, u16le, u32be, u32le } from './util.js';

export const forensicRecordsDetector = defineDetector({
  meta: {
    id: 'forensic-records',
    version: '1.0.0',
    title: 'ASL, binary cookies, EVTX and cpio',
    formats: [
      { id: 'asl', name: 'Apple System Log store', status: 'analysable', how: 'signature', extensions: ['asl'] },
      {
        id: 'binarycookies',
        name: 'Apple binary cookies',
        status: 'analysable',
        how: 'header-field',
        extensions: ['binarycookies'],
      },
      { id: 'evtx', name: 'Windows XML event log', status: 'analysable', how: 'signature', extensions: ['evtx'] },
      { id: 'cpio', name: 'cpio archive', status: 'analysable', how: 'signature', extensions: ['cpio', 'img', 'gz'] },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'ASL DB\0' },
    { offset: 0, ascii: 'cook' },
    { offset: 0, ascii: 'ElfFile\0' },
    { offset: 0, ascii: '07070' },
  ],
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    // Past each long magic, a field with few defined values: other values mean the magic stands before other
    // bytes (a damaged file), which the fallbacks judge.
    if (startsWith(h, 'ASL DB\0') && [1, 2].includes(u32be(h, 12) ?? 0))
      return plain('analysable', {
        id: 'asl',
        name: 'Apple System Log store',
        confidence: 0.96,
        code: 'ASL_MAGIC',
        message: `"ASL DB" magic, store version ${u32be(h, 12) ?? 0}.`,
        figures: { version: u32be(h, 12) ?? 0 },
      });
    if (startsWith(h, 'cook')) {
      const pages = u32be(h, 4) ?? 0;
      if (pages === 0 || pages > 100_000 || 8 + pages * 4 > probe.size) return undefined;
      return plain('analysable', {
        id: 'binarycookies',
        name: 'Apple binary cookies',
        confidence: 0.93,
        code: 'BINARYCOOKIES_HEADER',
        message: `"cook" magic with ${pages} cookie page(s) whose size table fits the file.`,
        figures: { pages },
      });
    }
    // The header's size (128) and major version (3) (libyal/libevtx, file header).
    if (startsWith(h, 'ElfFile\0') && u32le(h, 32) === 128 && u16le(h, 38) === 3)
      return plain('analysable', {
        id: 'evtx',
        name: 'Windows XML event log',
        confidence: 0.97,
        code: 'EVTX_FILE_HEADER',
        message: '"ElfFile" file header of a Windows XML event log.',
      });
    const magic = ascii(h, 0, 6);
    if (
      (magic === '070701' || magic === '070702' || magic === '070707') &&
      /^[0-9A-Fa-f]{8}$|^[0-7]{6}/.test(ascii(h, 6, 14))
    ) {
      return plain('analysable', {
        id: 'cpio',
        name: 'cpio archive',
        confidence: 0.93,
        code: 'CPIO_ASCII_MAGIC',
        message: `cpio ${magic === '070707' ? 'odc' : magic === '070702' ? 'newc with CRC' : 'newc'} header (magic ${magic}).`,
        figures: { magic },
      });
    }
    return undefined;
  },
});
