/**
 * Hangul word-processor 3.x documents (.hwp before HWP 5's compound files): a 30-byte identification
 * "HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05", then 128 bytes of document information whose word
 * at 96 says whether the document is protected by a password (문서 암호) and whose byte at 124 whether the
 * body is compressed. libmagic names the format, not the flag, so a locked document was called readable.
 * Reference: Hancom, "HWP 3.0 file format" (파일 인식 정보 30 bytes, 문서 정보 128 bytes: 암호 여부 at 96,
 * 압축 여부 at 124, 정보 블록 길이 at 126, then the 1,008-byte summary); LibreOffice's hwpfilter
 * (HWPInfo::Read) reads the same fields.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, passwordHint, plain, u16le } from './util.js';

const SIGNATURE = 'HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05';
const DOC_INFO = SIGNATURE.length;
const ENCRYPTED_AT = DOC_INFO + 96;
const COMPRESSED_AT = DOC_INFO + 124;
/** Identification, document information and the document summary (9 strings of 56 two-byte characters). */
const MIN_BYTES = DOC_INFO + 128 + 9 * 112;

export const hwp3Detector = defineDetector({
  meta: {
    id: 'hwp3',
    version: '1.0.0',
    title: 'Hangul 3.x documents and their password flag',
    formats: [
      {
        id: 'hwp3',
        name: 'Hangul word processor 3.x document',
        status: 'analysable',
        how: 'header-field',
        mime: 'application/x-hwp',
        extensions: ['hwp'],
      },
      {
        id: 'hwp3-encrypted',
        name: 'Hangul word processor 3.x document, password-protected',
        status: 'encrypted',
        how: 'header-field',
        mime: 'application/x-hwp',
        extensions: ['hwp'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: SIGNATURE }],
  minSize: MIN_BYTES,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const flag = u16le(h, ENCRYPTED_AT);
    const compressed = h[COMPRESSED_AT];
    // The flag is 0 or 1 and the compression byte 0 or 1: anything else is not this header.
    if (flag === undefined || flag > 1 || compressed === undefined || compressed > 1) return undefined;
    const what = `A Hangul 3.x document ("HWP Document File V3.00" identification; document information: ${compressed ? 'compressed' : 'uncompressed'} body)`;
    const figures = { compressed: compressed === 1 };
    if (flag === 0)
      return plain('analysable', {
        id: 'hwp3',
        name: 'Hangul word processor 3.x document',
        mime: 'application/x-hwp',
        confidence: 0.95,
        code: 'HWP3_CLEAR',
        message: `${what} whose password flag (document information word 96) is 0: not protected; LibreOffice's HWP filter reads it.`,
        figures,
      });
    return locked({
      id: 'hwp3-encrypted',
      name: 'Hangul word processor 3.x document, password-protected',
      mime: 'application/x-hwp',
      confidence: 0.95,
      code: 'HWP3_PASSWORD',
      message: `${what} whose password flag (document information word 96) is set: the body is enciphered under the document password.`,
      figures,
      scheme: 'hwp3-password',
      keyHint: passwordHint('The document password Hangul 3.x asks for on opening (문서 암호).'),
    });
  },
});
