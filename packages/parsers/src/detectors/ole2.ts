/**
 * OLE2 / Compound File Binary containers (legacy Office documents, encrypted
 * OOXML packages, Outlook messages, thumbnail caches...). The signature says
 * CFB; what is inside, and whether it is encrypted, is read from the
 * directory by the ole2-encryption parser.
 * Reference: [MS-CFB] §2.2 (header signature D0CF11E0A1B11AE1, versions 3 and 4).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u16le } from './util.js';

export const ole2Detector = defineDetector({
  meta: {
    id: 'ole2',
    version: '1.0.0',
    title: 'OLE2 compound files',
    formats: [
      {
        id: 'ole2',
        name: 'OLE2 compound file',
        status: 'analysable',
        how: 'signature',
        mime: 'application/x-cfb',
        extensions: [
          'doc',
          'xls',
          'ppt',
          'msg',
          'msi',
          'db',
          'docx',
          'xlsx',
          'pptx',
          'cfb',
          'dot',
          'xlt',
          'pps',
          'vsd',
          'pub',
          'mpp',
          'hwp',
        ],
      },
    ],
  },
  signatures: [{ offset: 0, hex: 'd0cf11e0a1b11ae1' }],
  minSize: 512,
  priority: 20,
  detect(probe): Detection | undefined {
    const major = u16le(probe.head, 26) ?? 0;
    const byteOrder = u16le(probe.head, 28);
    if ((major !== 3 && major !== 4) || byteOrder !== 0xfffe) return undefined;
    return plain('analysable', {
      id: 'ole2',
      name: 'OLE2 compound file',
      mime: 'application/x-cfb',
      confidence: 0.9,
      code: 'CFB_HEADER',
      message: `Compound File Binary header (version ${major}, ${major === 3 ? 512 : 4096}-byte sectors); its streams decide what it holds.`,
      figures: { majorVersion: major },
    });
  },
});
