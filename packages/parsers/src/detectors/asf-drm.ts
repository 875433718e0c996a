/**
 * Windows Media files (ASF: `.wma`, `.wmv`, `.asf`) protected by DRM: what
 * Windows Media Player, subscription music services (Napster, Rhapsody) and
 * the phones that synced with them kept. The ASF header stays in the clear;
 * the payloads are encrypted with a content key that a licence (from the
 * licence URL in the header) binds to the device. Named by the header
 * object's children (ASF specification §3): a Content Encryption Object
 * (WMDRM 1/2, naming the protection type "DRM", the key id and the licence
 * URL), an Extended Content Encryption Object (WMDRM 7 and later, an XML
 * header), or, inside the Header Extension Object, an Advanced Content
 * Encryption Object (PlayReady). file-type names every ASF file by its magic
 * and says nothing of this. A file without them is left to file-type.
 * References: Microsoft's "Advanced Systems Format (ASF) Specification" rev.
 * 01.20.06 §3.1 (Header Object), §3.14-3.15 (Content Encryption, Extended
 * Content Encryption), §4.5 (Header Extension); PlayReady's ASF header
 * (Advanced Content Encryption Object, ASF 2.0 addendum).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { hexOf, locked, u32le, u64le } from './util.js';

/** A GUID as its 16 bytes in file order (the first three fields little-endian). */
function guidBytes(g: string): string {
  const [a, b, c, d, e] = g.toLowerCase().split('-') as [string, string, string, string, string];
  const swap = (s: string) => s.match(/../g)!.reverse().join('');
  return swap(a) + swap(b) + swap(c) + d + e;
}

const HEADER = guidBytes('75B22630-668E-11CF-A6D9-00AA0062CE6C');
const HEADER_EXTENSION = guidBytes('5FBF03B5-A92E-11CF-8EE3-00C00C205365');
const PROTECTION: Record<string, string> = {
  [guidBytes('2211B3FB-BD23-11D2-B4B7-00A0C955FC6E')]: 'Content Encryption Object (Windows Media DRM 1/2)',
  [guidBytes('298AE614-2622-4C17-B935-DAE07EE9289C')]:
    'Extended Content Encryption Object (Windows Media DRM 7 or later)',
  [guidBytes('43058533-6981-49E6-9B74-AD12CB86D58C')]: 'Advanced Content Encryption Object (PlayReady)',
};
const FORMAT = { id: 'asf-drm', name: 'Windows Media (ASF) protected by DRM' };
const MAX_OBJECTS = 256;

/** Objects from `at` to `end` (GUID, 64-bit size): the protection objects among them, descending into a header extension. */
function protections(h: Uint8Array, at: number, end: number, depth: number): string[] | undefined {
  const found: string[] = [];
  for (let n = 0; at + 24 <= end && n < MAX_OBJECTS; n++) {
    const guid = hexOf(h, at, at + 16);
    const size = u64le(h, at + 16);
    if (size === undefined || size < 24 || at + size > end) return found.length > 0 || n > 0 ? found : undefined;
    const name = PROTECTION[guid];
    if (name) found.push(name);
    // Header extension: reserved GUID 16, reserved 2, data size 4, then objects.
    else if (guid === HEADER_EXTENSION && depth === 0) found.push(...(protections(h, at + 46, at + size, 1) ?? []));
    at += size;
  }
  return found;
}

export const asfDrmDetector = defineDetector({
  meta: {
    id: 'asf-drm',
    version: '1.0.0',
    title: 'Windows Media (ASF) files protected by Windows Media DRM or PlayReady',
    formats: [
      {
        ...FORMAT,
        status: 'encrypted',
        how: 'header-field',
        mime: 'video/x-ms-asf',
        extensions: ['wma', 'wmv', 'asf'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: HEADER }],
  minSize: 30,
  // Above file-type (80), which names the file by its magic whatever its payloads hold.
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const headerSize = u64le(h, 16);
    const objects = u32le(h, 24);
    if (headerSize === undefined || objects === undefined || headerSize < 30 || headerSize > probe.size)
      return undefined;
    // The children the head holds (a header is a few KiB; one larger than the head is read as far as it goes).
    const found = protections(h, 30, Math.min(headerSize, h.length), 0);
    if (!found || found.length === 0) return undefined;
    const what = [...new Set(found)].join(', ');
    return locked({
      ...FORMAT,
      mime: 'video/x-ms-asf',
      confidence: 0.95,
      code: 'ASF_CONTENT_ENCRYPTION',
      message: `ASF header (${objects} objects) with protection: ${what}. The payloads are encrypted, the header is not.`,
      figures: { objects, protection: what },
      scheme: found.some((f) => f.includes('PlayReady')) ? 'asf-playready' : 'asf-wmdrm',
      scope: 'partial',
      keyHint: {
        description:
          'The content key, which a licence from the licence server named in the header binds to the device (Windows Media DRM or PlayReady individualisation); it is not a password.',
        kind: 'unknown',
        present: 'unknown',
      },
    });
  },
});
