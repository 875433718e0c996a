/**
 * An Exif block on its own (`.exif`): the payload of a JPEG's APP1 segment, "Exif\0\0" and then a
 * TIFF structure (header and IFDs), as photo tools, libraries (Pillow's `info["exif"]`, libexif) and
 * apps that keep a picture's metadata apart from it store it. Without this, the six-byte prefix
 * hides the TIFF header from every other rule and the block goes to statistics.
 * Reference: Exif 2.32 §4.5.4 (APP1: "Exif" 00 00, then the TIFF header); TIFF 6.0 §2.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';
import { tiffIfd } from './tiff-header.js';

const PREFIX = 'Exif\0\0';

export const exifBlockDetector = defineDetector({
  meta: {
    id: 'exif-block',
    version: '1.0.0',
    title: 'Exif metadata blocks on their own (APP1 payload: "Exif\\0\\0" and a TIFF structure)',
    formats: [
      { id: 'exif', name: 'Exif metadata block', status: 'analysable', how: 'structure', extensions: ['exif'] },
    ],
  },
  minSize: PREFIX.length + 8,
  priority: 30,
  signatures: [{ offset: 0, ascii: PREFIX }],
  detect(probe): Detection | undefined {
    const tiff = tiffIfd(probe.head.subarray(PREFIX.length), probe.size - PREFIX.length);
    // Only the plain TIFF magic: BigTIFF and the raw-camera variants never follow the Exif prefix.
    if (!tiff || tiff.variant.format !== 'tiff' || tiff.variant.big || tiff.count === undefined) return undefined;
    const order = tiff.variant.le ? 'little-endian' : 'big-endian';
    return plain('analysable', {
      id: 'exif',
      name: 'Exif metadata block',
      confidence: 0.9,
      code: 'EXIF_BLOCK',
      message: `"Exif\\0\\0" followed by a ${order} TIFF header whose first directory (at ${tiff.ifd}) holds ${tiff.count} entr${tiff.count === 1 ? 'y' : 'ies'}: a photo's Exif metadata kept on its own.`,
      figures: { byteOrder: order, ifdOffset: tiff.ifd, entries: tiff.count },
    });
  },
});
