/**
 * Android Binary XML ("ABX"): the compact XML encoding Android 12+ uses for
 * system state (`packages.xml`, `packages-warnings.xml`, settings, app ops,
 * notification policy...). A readable format once decoded (see
 * `apps/abx.ts`); the first token after the magic is a start-document token.
 * Reference: AOSP `BinaryXmlSerializer.java` (magic `ABX\0`, protocol version 0).
 */
import { defineDetector } from '@evtriage/core/contract';

export const androidBinaryXmlDetector = defineDetector({
  meta: {
    id: 'android-binary-xml',
    version: '1.0.0',
    title: 'Android Binary XML (ABX)',
    formats: [
      {
        id: 'android-binary-xml',
        name: 'Android Binary XML',
        status: 'analysable',
        how: 'signature',
        extensions: ['xml'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '41425800' }],
  priority: 10,
  detect(probe) {
    // Start document (event 0) with the null data type (1 << 4): what every serializer writes first.
    // Without it the magic stands before other bytes (a damaged file or a chance prefix): the fallbacks judge them.
    if (probe.head[4] !== 0x10) return undefined;
    return {
      format: { id: 'android-binary-xml', name: 'Android Binary XML' },
      status: 'analysable',
      confidence: 0.97,
      reasons: [
        {
          code: 'ABX_MAGIC',
          message: '"ABX\\0" magic at offset 0, followed by a start-document token.',
          figures: { startDocument: true },
        },
      ],
    };
  },
});
