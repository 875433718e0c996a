/**
 * EBML containers (Matroska, WebM) by their EBML header and DocType, also
 * when the file is damaged past the header (file-type gives up on those;
 * this detector ranks below it when both answer).
 * Reference: RFC 8794 §11.2 (EBML header, DocType element 0x4282); RFC 9559 (Matroska).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { indexOf, ascii, plain } from './util.js';
import { trimEndOf } from '../text-ends.js';

export const ebmlDetector = defineDetector({
  meta: {
    id: 'ebml',
    version: '1.0.0',
    title: 'EBML containers (Matroska, WebM)',
    formats: [
      {
        id: 'mkv',
        name: 'Matroska',
        status: 'analysable',
        how: 'header-field',
        mime: 'video/x-matroska',
        extensions: ['mkv', 'mka', 'mks', 'mk3d'],
      },
      { id: 'webm', name: 'WebM', status: 'analysable', how: 'header-field', mime: 'video/webm', extensions: ['webm'] },
    ],
  },
  signatures: [{ offset: 0, hex: '1a45dfa3' }],
  priority: 60,
  detect(probe): Detection | undefined {
    const h = probe.head.subarray(0, 64);
    const at = indexOf(h, Uint8Array.from([0x42, 0x82]));
    if (at < 0) return undefined;
    const size = (h[at + 2] ?? 0) & 0x7f;
    const docType = trimEndOf(ascii(h, at + 3, at + 3 + size), '\0');
    if (docType !== 'matroska' && docType !== 'webm') return undefined;
    const webm = docType === 'webm';
    return plain('analysable', {
      id: webm ? 'webm' : 'mkv',
      name: webm ? 'WebM' : 'Matroska',
      mime: webm ? 'video/webm' : 'video/x-matroska',
      confidence: 0.75,
      code: 'EBML_DOCTYPE',
      message: `EBML header with DocType "${docType}".`,
      figures: { docType },
    });
  },
});
