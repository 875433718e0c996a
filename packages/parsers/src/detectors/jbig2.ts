/**
 * JBIG2 image files (the stand-alone file format of ITU-T T.88 Annex D,
 * `.jb2`/`.jbig2`): bi-level scans and the images PDF producers extract. The
 * 8-byte ID string is checked with the file-header flags (reserved bits 0)
 * and the first segment header's type, which must be one T.88 defines. The
 * arithmetic-coded data looks random, and libmagic 5.44 reads the ID as an
 * OpenPGP packet, so without this a JBIG2 file is called opaque or worse.
 * Readable image format: analysable.
 * References: ITU-T T.88 (02/2000 and amendments) §7.2 (segment header:
 * number, flags with the type in bits 0-5), §7.3 (segment types), D.4 (file
 * header: ID string 97 4A 42 32 0D 0A 1A 0A, flags, number of pages).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, startsWith, u32be } from './util.js';

const ID = '\x97JB2\r\n\x1a\n';
/** Segment types T.88 §7.3 defines (symbol dictionary ... extension). */
const SEGMENT_TYPES = new Set([0, 4, 6, 7, 16, 20, 22, 23, 36, 38, 39, 40, 42, 43, 48, 49, 50, 51, 52, 53, 62]);

export const jbig2Detector = defineDetector({
  meta: {
    id: 'jbig2',
    version: '1.0.0',
    title: 'JBIG2 image files (T.88 Annex D)',
    formats: [
      {
        id: 'jbig2',
        name: 'JBIG2 image',
        status: 'analysable',
        how: 'header-field',
        mime: 'image/x-jbig2',
        extensions: ['jb2', 'jbig2', 'jbg2'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '974a42320d0a1a0a' }],
  minSize: 15,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!startsWith(h, ID) || h.length < 15) return undefined;
    const flags = h[8]!;
    // Bits 4-7 are reserved; bit 1 says the page count is unknown (and absent).
    if (flags & 0xf0) return undefined;
    const pagesKnown = (flags & 0x02) === 0;
    const first = pagesKnown ? 13 : 9;
    const type = (h[first + 4] ?? 0xff) & 0x3f;
    if (h.length < first + 6 || !SEGMENT_TYPES.has(type)) return undefined;
    const pages = pagesKnown ? u32be(h, 9)! : -1;
    return plain('analysable', {
      id: 'jbig2',
      name: 'JBIG2 image',
      mime: 'image/x-jbig2',
      confidence: 0.95,
      code: 'JBIG2_FILE_HEADER',
      message: `JBIG2 file header (T.88 Annex D): ${flags & 0x01 ? 'sequential' : 'random-access'} organisation, ${pages < 0 ? 'page count not given' : `${pages} page(s)`}, first segment of type ${type}: a bi-level image, readable.`,
      figures: { flags, pages, firstSegmentType: type },
    });
  },
});
