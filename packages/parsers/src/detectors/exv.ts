/**
 * Exiv2 metadata sidecars (.exv): what `exiv2 -ea` extracts from an image and
 * exiftool reads and writes. The file is the magic ff 01 "Exiv2", then JPEG
 * marker segments (APP1 Exif and XMP, APP13 IPTC, COM) with big-endian
 * lengths, and an EOI marker. libmagic has no rule for it ("data").
 * Reference: Exiv2's exvimage / jpgimage.cpp (ExvImage::writeMetadata), exiftool's EXV support.
 * Fixture made by exiv2 (fixtures/exv/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, startsWith, u16be } from './util.js';

const MAGIC_BYTES = 7;

export const exvDetector = defineDetector({
  meta: {
    id: 'exv',
    version: '1.0.0',
    title: 'Exiv2 metadata sidecars (.exv)',
    formats: [
      { id: 'exv', name: 'Exiv2 metadata sidecar', status: 'analysable', how: 'structure', extensions: ['exv'] },
    ],
  },
  signatures: [{ offset: 0, hex: 'ff0145786976' }],
  // The magic and an EOI alone: what exiv2 writes for an image with no metadata.
  minSize: MAGIC_BYTES + 2,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!startsWith(h, '\xff\x01Exiv2')) return undefined;
    // Marker segments: ff, an APPn/COM marker and a length that stays inside the file, up to EOI or the bytes read.
    const markers: string[] = [];
    let at = MAGIC_BYTES;
    while (at + 2 <= h.length) {
      if (h[at] !== 0xff) return undefined;
      const marker = h[at + 1]!;
      if (marker === 0xd9) {
        markers.push('EOI');
        break;
      }
      if (!((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe)) return undefined;
      const length = u16be(h, at + 2);
      if (length === undefined) break;
      if (length < 2 || at + 2 + length > probe.size) return undefined;
      markers.push(marker === 0xfe ? 'COM' : `APP${marker - 0xe0}`);
      at += 2 + length;
    }
    if (markers.length === 0) return undefined;
    // An empty sidecar must be exactly that: the magic and EOI ending the file.
    if (markers[0] === 'EOI' && probe.size !== MAGIC_BYTES + 2) return undefined;
    return plain('analysable', {
      id: 'exv',
      name: 'Exiv2 metadata sidecar',
      confidence: 0.95,
      code: 'EXV_SEGMENTS',
      message:
        markers[0] === 'EOI'
          ? 'Exiv2 sidecar magic (ff 01 "Exiv2") and the EOI marker ending the file: an Exiv2 sidecar with no metadata in it.'
          : `Exiv2 sidecar magic (ff 01 "Exiv2"), then JPEG metadata segments that chain (${markers.join(', ')}): image metadata (Exif, XMP, IPTC) read by exiv2 and exiftool.`,
      figures: { segments: markers.length },
    });
  },
});
