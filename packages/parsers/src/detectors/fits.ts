/**
 * FITS (Flexible Image Transport System) files: astronomy images and tables,
 * also what some camera and microscope software exports. The header is
 * 80-character ASCII card images in 2,880-byte blocks; the first card is
 * `SIMPLE  =` with the logical value T in column 30, the second `BITPIX  =`.
 * libmagic 5.44 knows it; wasmagic's build of its database does not, so a
 * FITS file was opaque.
 * Reference: FITS Standard 4.0 (IAU FITS Working Group, 2018) §3.3 (header),
 * §4.4.1.1 (SIMPLE, BITPIX, NAXIS in that order).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain } from './util.js';

const CARD = 80;
const BLOCK = 2880;

export const fitsDetector = defineDetector({
  meta: {
    id: 'fits',
    version: '1.0.0',
    title: 'FITS images and tables (SIMPLE and BITPIX header cards)',
    formats: [
      {
        id: 'fits',
        name: 'FITS image or table',
        status: 'analysable',
        how: 'signature',
        mime: 'image/fits',
        extensions: ['fits', 'fit', 'fts'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: 'SIMPLE  =' }],
  minSize: 3 * CARD,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const simple = ascii(h, 0, CARD);
    // A fixed-format logical: spaces, then T in column 30.
    if (!/^SIMPLE {2}= {20}T/.test(simple)) return undefined;
    const bitpix = /^BITPIX {2}= +(-?\d+)/.exec(ascii(h, CARD, 2 * CARD));
    const naxis = /^NAXIS {3}= +(\d+)/.exec(ascii(h, 2 * CARD, 3 * CARD));
    if (!bitpix || !['8', '16', '32', '64', '-32', '-64'].includes(bitpix[1]!) || !naxis) return undefined;
    const blocks = probe.size % BLOCK === 0;
    return plain('analysable', {
      id: 'fits',
      name: 'FITS image or table',
      mime: 'image/fits',
      confidence: 0.95,
      code: 'FITS_HEADER_CARDS',
      message: `FITS header cards SIMPLE = T, BITPIX = ${bitpix[1]}, NAXIS = ${naxis[1]}${blocks ? `, in ${probe.size / BLOCK} blocks of 2,880 bytes` : ' (the file is not a whole number of 2,880-byte blocks: cut short?)'}.`,
      figures: { bitpix: Number(bitpix[1]), naxis: Number(naxis[1]) },
    });
  },
});
