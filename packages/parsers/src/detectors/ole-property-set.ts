/**
 * An OLE property set stream on its own: a document's "\005SummaryInformation" or
 * "\005DocumentSummaryInformation" (title, author, dates, application) as it leaves a compound file,
 * or as Windows 2000-XP kept it for any file on NTFS in alternate data streams of those names. Forensic
 * tools and stream extractors (7-Zip, olefile, libgsf) write such streams out as files; with no magic
 * in libmagic's list they reached the statistics (ruby-ole's `test_SummaryInformation` was opaque).
 * The header must read: byte order FE FF, version 0 or 1, one or two property sets whose offsets follow
 * the header, and a first set whose size fits the stream and whose property offsets lie inside it, each
 * naming a known property type.
 * Reference: [MS-OLEPS] §2.21 PropertySetStream, §2.20 PropertySet, §2.15 TypedPropertyValue,
 * §2.2 PropertyType; FMTIDs §3.1 (SummaryInformation), §3.2 (DocumentSummaryInformation, UserDefined).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { guidAt, plain } from './util.js';

const FMTIDS: Record<string, string> = {
  'f29f85e0-4ff9-1068-ab91-08002b27b3d9': 'SummaryInformation',
  'd5cdd502-2e9c-101b-9397-08002b2cf9ae': 'DocumentSummaryInformation',
  'd5cdd505-2e9c-101b-9397-08002b2cf9ae': 'UserDefined properties',
};
/** [MS-OLEPS] §2.2 property types (the low 12 bits; 0x1000 marks a vector, 0x2000 an array). */
const TYPES = new Set([
  0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0a, 0x0b, 0x0c, 0x0e, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
  0x1e, 0x1f, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
]);
/** The header (28 bytes) and one FMTID/offset pair (20 bytes) per set. */
const HEADER = 28;
const SET_ENTRY = 20;
/** Property ids 0 (the dictionary) and 0x80000000 (the locale) hold no typed value. */
const UNTYPED = new Set([0, 0x80000000]);
/** Property offsets read: the list is bounded by the set's size anyway; a real set has a few dozen. */
const MAX_PROPERTIES = 1024;

export type PropertySet = { fmtid: string; sets: number; properties: number; size: number };

/** The stream's header and first property set, when every field read fits; undefined otherwise. */
export function readPropertySet(b: Uint8Array, fileSize: number): PropertySet | undefined {
  if (b.length < HEADER + SET_ENTRY + 8) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (v.getUint16(0, true) !== 0xfffe || v.getUint16(2, true) > 1) return undefined;
  const sets = v.getUint32(24, true);
  if (sets !== 1 && sets !== 2) return undefined;
  const offset = v.getUint32(HEADER + 16, true);
  // The first set follows the header and the FMTID/offset list (Office writes it right there).
  if (offset < HEADER + SET_ENTRY * sets || offset + 8 > b.length) return undefined;
  const size = v.getUint32(offset, true);
  const count = v.getUint32(offset + 4, true);
  if (count > MAX_PROPERTIES || size < 8 + 8 * count || offset + size > fileSize) return undefined;
  for (let i = 0; i < count; i++) {
    const at = offset + 8 + 8 * i;
    if (at + 8 > b.length) break;
    const id = v.getUint32(at, true);
    const where = v.getUint32(at + 4, true);
    if (where < 8 + 8 * count || where + 4 > size) return undefined;
    if (UNTYPED.has(id) || offset + where + 4 > b.length) continue;
    const type = v.getUint16(offset + where, true);
    if (!TYPES.has(type & 0x0fff) || (type & 0xc000) !== 0 || v.getUint16(offset + where + 2, true) !== 0)
      return undefined;
  }
  return { fmtid: guidAt(b, HEADER), sets, properties: count, size };
}

export const olePropertySetDetector = defineDetector({
  meta: {
    id: 'ole-property-set',
    version: '1.0.0',
    title: 'OLE property set streams on their own (SummaryInformation, DocumentSummaryInformation)',
    formats: [
      {
        id: 'ole-property-set',
        name: 'OLE property set stream (document metadata)',
        status: 'analysable',
        how: 'structure',
        extensions: [],
      },
    ],
  },
  minSize: HEADER + SET_ENTRY + 8,
  priority: 30,
  signatures: [
    { offset: 0, hex: 'feff0000' },
    { offset: 0, hex: 'feff0100' },
  ],
  detect(probe): Detection | undefined {
    const set = readPropertySet(probe.head, probe.size);
    if (!set || set.properties === 0) return undefined;
    const kind = FMTIDS[set.fmtid] ?? `property set ${set.fmtid}`;
    return plain('analysable', {
      id: 'ole-property-set',
      name: 'OLE property set stream (document metadata)',
      confidence: 0.88,
      code: 'OLE_PROPERTY_SET',
      message: `Byte order FE FF and ${set.sets} property set${set.sets > 1 ? 's' : ''}, the first ${kind} (FMTID ${set.fmtid}): ${set.properties} properties in ${set.size} bytes, each at an offset inside the set with a known type. A document's metadata stream, kept apart from its compound file.`,
      figures: { fmtid: set.fmtid, set: kind, sets: set.sets, properties: set.properties, setSize: set.size },
    });
  },
});
