/**
 * uuencoded files (uuencoded.ts says what counts as one): an encoding, readable without a key. The uuencode
 * container decodes the file, and the decoded bytes (named in the begin line) are identified as its member:
 * an encrypted ZIP sent uuencoded is found as an encrypted ZIP one level down.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { recogniseUuencoded, tailEndsUuencoded } from '../uuencoded.js';

/** Above text (0.75), as the other encodings of binary data in text (encoded-text.ts). */
const CONFIDENCE = 0.85;

export const uuencodedDetector = defineDetector({
  meta: {
    id: 'uuencoded',
    version: '1.0.0',
    title: 'uuencoded files (historical and base64 forms)',
    formats: [
      {
        id: 'uuencoded',
        name: 'uuencoded file',
        status: 'analysable',
        how: 'structure',
        mime: 'text/x-uuencode',
        extensions: ['uu', 'uue', 'txt'],
      },
    ],
  },
  minSize: 16,
  priority: 80,
  detect(probe): Detection | undefined {
    const head = Buffer.from(probe.head.buffer, probe.head.byteOffset, probe.head.length);
    // Cheap first: "begin" must be in the head at all.
    if (head.indexOf('begin') < 0) return undefined;
    const found = recogniseUuencoded(head.toString('latin1'), probe.complete);
    if (!found) return undefined;
    if (!probe.complete && probe.tail.length > 0) {
      const tail = Buffer.from(probe.tail.buffer, probe.tail.byteOffset, probe.tail.length);
      if (!tailEndsUuencoded(tail.toString('latin1'), found.form)) return undefined;
    }
    const form = found.form === 'base64' ? 'base64 form (begin-base64)' : 'historical form';
    return {
      format: { id: 'uuencoded', name: 'uuencoded file', mime: 'text/x-uuencode' },
      status: 'analysable',
      confidence: CONFIDENCE,
      reasons: [
        {
          code: 'UUENCODED',
          message:
            `uuencode's ${form}: a begin line (mode ${found.mode}, file "${found.name.slice(0, 120)}"), ` +
            `${probe.complete ? found.lines : `${found.lines}+`} encoded lines and an end line, an encoding (no key). ` +
            'The decoded file is identified as its member.',
          figures: { form: found.form, mode: found.mode, name: found.name.slice(0, 200), lines: found.lines },
        },
      ],
    };
  },
});
