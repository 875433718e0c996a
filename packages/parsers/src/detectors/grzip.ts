/**
 * GRZipII compressed files (`.grz`, the BWT/WFC compressor libarchive and
 * bsdtar read with the external grzip program). The output looks random, so
 * without its header a `.tar.grz` is left to the entropy test; the 12-byte
 * signature ("GRZipII", NUL, 02 04, ":)") is what libarchive's grzip filter
 * bids on, and the 32-bit original size follows it. GRZip has no encryption:
 * analysable.
 * References: libarchive archive_read_support_filter_grzip.c (grzip_magic);
 * GRZipII 0.2.4 source (header: signature, then the file size).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, startsWith, u32le } from './util.js';

const MAGIC = 'GRZipII\0\x02\x04:)';

export const grzipDetector = defineDetector({
  meta: {
    id: 'grzip',
    version: '1.0.0',
    title: 'GRZipII compressed files',
    formats: [
      {
        id: 'grzip',
        name: 'GRZipII compressed file',
        status: 'analysable',
        how: 'signature',
        mime: 'application/x-grzip',
        extensions: ['grz', 'tgrz'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: 'GRZipII' }],
  minSize: 16,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!startsWith(h, MAGIC)) return undefined;
    const original = u32le(h, 12)!;
    return plain('analysable', {
      id: 'grzip',
      name: 'GRZipII compressed file',
      mime: 'application/x-grzip',
      confidence: 0.93,
      code: 'GRZIP_SIGNATURE',
      message: `GRZipII signature (12 bytes, as libarchive's grzip filter checks), ${original} bytes when expanded: compressed, not encrypted.`,
      figures: { originalSize: original },
    });
  },
});
