/**
 * DICOM files and data sets (`.dcm`, `DICOMDIR`, files named by their UIDs):
 * medical images, structured reports, RT plans and waveforms as scanners,
 * PACS exports, dcmtk, GDCM and pydicom write them. file-type knows the Part
 * 10 file by "DICM" at offset 128, but only when nothing at offset 0 looks
 * like another format: files whose 128-byte preamble holds a TIFF header (the
 * dual-personality files of PS3.10 §7.5, pydicom's `CT_small.dcm`) and data
 * sets written without the preamble and meta group (older modalities, dcmtk
 * `+F`/`-F`, pydicom `write_like_original`) were opaque. Each check reads
 * fields, not only a magic: the meta group's elements in explicit VR little
 * endian, in ascending order, with known VRs and a transfer syntax UID; a bare
 * data set's elements in ascending tag order with even value lengths (PS3.5
 * §7.1.1) and, in explicit VR, known VRs. Readable data: analysable. Deflated
 * and encapsulated transfer syntaxes are compressed by design and named. A
 * de-identified file's Encrypted Attributes Sequence (CMS envelopedData of the
 * replaced attributes, PS3.15 §E.1.1) is named in a second reason; the file
 * stays analysable (a few fields beside a readable data set, rule 1).
 * Reference: DICOM PS3.10 §7.1 (preamble, "DICM", File Meta Information group
 * 0002 in explicit VR little endian), PS3.5 §7.1.2-7.1.3 (data element
 * encodings: VRs with a 2-byte length, and OB/OW/SQ/UN/UT… with 2 reserved
 * bytes and a 4-byte length), PS3.5 Annex A and PS3.6 Table A-1 (transfer
 * syntax UIDs), PS3.15 §E.1.1 and Annex C (Encrypted Attributes Sequence).
 */
import { ascii, defineDetector, u16be, u16le, u32be, u32le, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

/** VRs whose length field is 4 bytes after 2 reserved bytes (PS3.5 Table 7.1-1). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
/** VRs with a 2-byte length (PS3.5 Table 7.1-2). */
const SHORT_VRS = new Set([
  'AE',
  'AS',
  'AT',
  'CS',
  'DA',
  'DS',
  'DT',
  'FD',
  'FL',
  'IS',
  'LO',
  'LT',
  'PN',
  'SH',
  'SL',
  'SS',
  'ST',
  'TM',
  'UI',
  'UL',
  'US',
]);

/** Transfer syntaxes by UID (PS3.6 Table A-1), with what their body holds. */
const TRANSFER_SYNTAXES = new Map<string, string>([
  ['1.2.840.10008.1.2', 'Implicit VR Little Endian'],
  ['1.2.840.10008.1.2.1', 'Explicit VR Little Endian'],
  ['1.2.840.10008.1.2.1.98', 'Encapsulated Uncompressed Explicit VR Little Endian'],
  ['1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian (the data set is raw DEFLATE, compressed by design)'],
  ['1.2.840.10008.1.2.2', 'Explicit VR Big Endian'],
  ['1.2.840.10008.1.2.4.50', 'JPEG Baseline (encapsulated pixel data)'],
  ['1.2.840.10008.1.2.4.51', 'JPEG Extended (encapsulated pixel data)'],
  ['1.2.840.10008.1.2.4.57', 'JPEG Lossless (encapsulated pixel data)'],
  ['1.2.840.10008.1.2.4.70', 'JPEG Lossless, first-order prediction (encapsulated pixel data)'],
  ['1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless (encapsulated pixel data)'],
  ['1.2.840.10008.1.2.4.81', 'JPEG-LS Near-Lossless (encapsulated pixel data)'],
  ['1.2.840.10008.1.2.4.90', 'JPEG 2000 Lossless (encapsulated pixel data)'],
  ['1.2.840.10008.1.2.4.91', 'JPEG 2000 (encapsulated pixel data)'],
  ['1.2.840.10008.1.2.4.92', 'JPEG 2000 Part 2 Lossless (encapsulated pixel data)'],
  ['1.2.840.10008.1.2.4.93', 'JPEG 2000 Part 2 (encapsulated pixel data)'],
  ['1.2.840.10008.1.2.4.100', 'MPEG-2 video (encapsulated)'],
  ['1.2.840.10008.1.2.4.101', 'MPEG-2 video (encapsulated)'],
  ['1.2.840.10008.1.2.4.102', 'MPEG-4 AVC/H.264 video (encapsulated)'],
  ['1.2.840.10008.1.2.4.103', 'MPEG-4 AVC/H.264 video (encapsulated)'],
  ['1.2.840.10008.1.2.4.107', 'HEVC/H.265 video (encapsulated)'],
  ['1.2.840.10008.1.2.4.108', 'HEVC/H.265 video (encapsulated)'],
  ['1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 Lossless (encapsulated pixel data)'],
  ['1.2.840.10008.1.2.4.202', 'High-Throughput JPEG 2000 RPCL Lossless (encapsulated pixel data)'],
  ['1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000 (encapsulated pixel data)'],
  ['1.2.840.10008.1.2.5', 'RLE Lossless (encapsulated pixel data)'],
]);

const PREAMBLE = 128;
const MAGIC = 'DICM';
/** A bare data set must show this many elements in order before the walk believes it (or end the file exactly). */
const MIN_ELEMENTS = 6;
/** Enough elements to be sure; the walk stops here. */
const ENOUGH_ELEMENTS = 32;

type Reader = (b: Uint8Array, at: number) => number;
/** The integer readers, with -1 past the end (the walks check bounds first; -1 then fails every test). */
const le16: Reader = (b, at) => u16le(b, at) ?? -1;
const be16: Reader = (b, at) => u16be(b, at) ?? -1;
const le32: Reader = (b, at) => u32le(b, at) ?? -1;
const be32: Reader = (b, at) => u32be(b, at) ?? -1;

interface MetaGroup {
  elements: number;
  /** UI elements holding a well-formed UID (SOP class, instance, transfer syntax, implementation class). */
  uids: number;
  transferSyntax?: string | undefined;
  sopClass?: string | undefined;
}

/** A UI value: digits and dots, padded with one NUL or space to an even length (PS3.5 §6.2, §9.1). */
function uid(head: Uint8Array, at: number, length: number): string | undefined {
  const text = ascii(head, at, at + length).replace(/[\0 ]$/, '');
  return /^[0-9]+(\.[0-9]+)+$/.test(text) && text.length <= 64 ? text : undefined;
}

/** The File Meta Information group after "DICM": explicit VR little endian, group 0002, ascending, every value inside the head. */
function metaGroup(head: Uint8Array): MetaGroup | undefined {
  const meta: MetaGroup = { elements: 0, uids: 0 };
  let at = PREAMBLE + MAGIC.length;
  let previous = -1;
  while (at + 8 <= head.length && le16(head, at) === 0x0002) {
    const element = le16(head, at + 2);
    const vr = ascii(head, at + 4, at + 6);
    if (element <= previous) return undefined;
    previous = element;
    let length: number;
    let header: number;
    if (LONG_VRS.has(vr)) {
      if (at + 12 > head.length || le16(head, at + 6) !== 0) return undefined;
      length = le32(head, at + 8);
      header = 12;
    } else if (SHORT_VRS.has(vr)) {
      length = le16(head, at + 6);
      header = 8;
    } else return undefined;
    const value = at + header;
    if (value + length > head.length) return undefined;
    if (vr === 'UI') {
      const text = uid(head, value, length);
      if (text) meta.uids++;
      if (element === 0x0002) meta.sopClass = text;
      if (element === 0x0010) meta.transferSyntax = text;
    }
    meta.elements++;
    at = value + length;
  }
  // One element is a chance; a group of two or more with a UID is the meta group (pydicom writes one without a transfer syntax).
  return meta.elements >= 2 && meta.uids >= 1 ? meta : undefined;
}

type Encoding = 'implicit VR little endian' | 'explicit VR little endian' | 'explicit VR big endian';

/**
 * Walks a data set without its meta group from the file's start: tags ascending, even lengths inside the file,
 * known VRs when explicit. Returns the elements seen and whether the walk ended exactly at the file's end, or
 * undefined when a field breaks the encoding.
 */
function walkDataSet(
  head: Uint8Array,
  size: number,
  encoding: Encoding,
): { elements: number; atEnd: boolean } | undefined {
  const little = encoding !== 'explicit VR big endian';
  const u16 = little ? le16 : be16;
  const u32 = little ? le32 : be32;
  let at = 0;
  let previous = -1;
  let elements = 0;
  while (at + 8 <= head.length && elements < ENOUGH_ELEMENTS) {
    const group = u16(head, at);
    const tag = group * 0x10000 + u16(head, at + 2);
    // Item and delimitation tags (FFFE) only appear inside sequences.
    if (tag <= previous || group === 0xfffe) return undefined;
    previous = tag;
    let length: number;
    let header: number;
    if (encoding === 'implicit VR little endian') {
      length = u32(head, at + 4);
      header = 8;
    } else {
      const vr = ascii(head, at + 4, at + 6);
      if (LONG_VRS.has(vr)) {
        if (at + 12 > head.length || u16(head, at + 6) !== 0) return undefined;
        length = u32(head, at + 8);
        header = 12;
      } else if (SHORT_VRS.has(vr)) {
        length = u16(head, at + 6);
        header = 8;
      } else return undefined;
    }
    elements++;
    // An undefined length (a sequence or encapsulated pixel data) ends what a flat walk can follow.
    if (length === 0xffffffff) return { elements, atEnd: false };
    if (length % 2 !== 0 || at + header + length > size) return undefined;
    at += header + length;
    if (at === size) return { elements, atEnd: true };
  }
  return { elements, atEnd: false };
}

/** A bare data set: the first encoding whose walk holds, with the elements it saw. */
function bareDataSet(head: Uint8Array, size: number): { encoding: Encoding; elements: number } | undefined {
  const encodings: Encoding[] = ['explicit VR little endian', 'implicit VR little endian', 'explicit VR big endian'];
  for (const encoding of encodings) {
    const group = encoding === 'explicit VR big endian' ? be16(head, 0) : le16(head, 0);
    // Data sets open with the meta group (written without its preamble) or the identifying group 0008.
    if (group !== 0x0002 && group !== 0x0008) continue;
    const walk = walkDataSet(head, size, encoding);
    // A short data set counts when the walk lands exactly on the file's end.
    if (walk && (walk.elements >= MIN_ELEMENTS || (walk.atEnd && walk.elements >= 3))) {
      return { encoding, elements: walk.elements };
    }
  }
  return undefined;
}

/** id-envelopedData (1.2.840.113549.1.7.3) as DER: the CMS type of an Encrypted Attributes Sequence's content. */
const ENVELOPED_DATA_OID = Buffer.from('06092a864886f70d010703', 'hex');

/**
 * The Encrypted Content (0400,0520) of an Encrypted Attributes Sequence (0400,0500): PS3.15 §E.1.1 keeps the
 * attributes a de-identifier replaced as CMS envelopedData (PS3.15 Annex C), in explicit or implicit VR little
 * endian. Returns its length when the sequence's tag comes first and the value opens a DER SEQUENCE holding the
 * envelopedData OID.
 */
function encryptedAttributes(head: Uint8Array): number | undefined {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.length);
  const contentTag = Buffer.from('00042005', 'hex');
  const sequence = bytes.indexOf(Buffer.from('00040005', 'hex'));
  for (
    let at = sequence < 0 ? -1 : bytes.indexOf(contentTag, sequence);
    at >= 0;
    at = bytes.indexOf(contentTag, at + 4)
  ) {
    const explicit = ascii(head, at + 4, at + 6) === 'OB' && le16(head, at + 6) === 0;
    const length = explicit ? le32(head, at + 8) : le32(head, at + 4);
    const value = at + (explicit ? 12 : 8);
    // A DER SEQUENCE (short or long-form length), then the contentType OID.
    const first = head[value + 1] ?? 0;
    const oidAt = value + 2 + (first >= 0x80 ? first & 0x7f : 0);
    const oid = bytes.subarray(oidAt, oidAt + ENVELOPED_DATA_OID.length);
    if (head[value] === 0x30 && length > 0 && oid.equals(ENVELOPED_DATA_OID)) return length;
  }
  return undefined;
}

const FORMAT = { id: 'dcm', name: 'DICOM medical image or data set', mime: 'application/dicom' } as const;

function describePreamble(head: Uint8Array): string {
  const start = ascii(head, 0, 4);
  if (start === 'II*\0' || start === 'MM\0*')
    return 'a TIFF header in the preamble (a dual-personality file, PS3.10 §7.5)';
  return head.subarray(0, PREAMBLE).every((b) => b === 0) ? 'a zero preamble' : 'an application-defined preamble';
}

function partTen(head: Uint8Array): Detection | undefined {
  const meta = metaGroup(head);
  if (!meta) return undefined;
  const syntax = meta.transferSyntax;
  const syntaxName = syntax
    ? (TRANSFER_SYNTAXES.get(syntax) ?? 'a transfer syntax this table does not name')
    : undefined;
  const preamble = describePreamble(head);
  const detection = plain('analysable', {
    ...FORMAT,
    confidence: 0.95,
    code: 'DICOM_FILE_META',
    message: `DICOM Part 10 file: ${preamble}, "DICM" at offset 128, then ${meta.elements} File Meta Information elements in order${syntax ? `; transfer syntax ${syntax} (${syntaxName})` : ', without a transfer syntax'}${meta.sopClass ? `; SOP class ${meta.sopClass}` : ''}: readable medical data.`,
    figures: {
      metaElements: meta.elements,
      preamble: preamble.startsWith('a TIFF') ? 'tiff' : preamble === 'a zero preamble' ? 'zero' : 'other',
      ...(syntax ? { transferSyntax: syntax } : {}),
      ...(meta.sopClass ? { sopClass: meta.sopClass } : {}),
    },
  });
  const sealed = encryptedAttributes(head);
  // Rule 1: the replaced attributes are a few fields beside a readable data set and its pixels, so the file stays
  // analysable; the reason says what is locked and what opens it.
  if (sealed !== undefined)
    detection.reasons.push({
      code: 'DICOM_ENCRYPTED_ATTRIBUTES',
      message: `An Encrypted Attributes Sequence (0400,0500) holds ${sealed} bytes of CMS envelopedData: attributes a de-identifier replaced (PS3.15 §E.1.1, the patient's name and IDs), readable only with the private key of the certificate it names; the rest of the data set is clear.`,
      figures: { encryptedContentBytes: sealed },
    });
  return detection;
}

export const dicomDetector = defineDetector({
  meta: {
    id: 'dicom',
    version: '1.0.0',
    title: 'DICOM files and bare DICOM data sets',
    formats: [
      {
        id: 'dcm',
        name: 'DICOM medical image or data set',
        status: 'analysable',
        how: 'structure',
        mime: 'application/dicom',
        extensions: ['dcm', 'dicom', 'dic'],
      },
    ],
  },
  signatures: [
    { offset: PREAMBLE, ascii: MAGIC },
    // Bare data sets: group 0008 or 0002 first, little or big endian.
    { offset: 0, hex: '0800' },
    { offset: 0, hex: '0008' },
    { offset: 0, hex: '0200' },
  ],
  minSize: 24,
  priority: 30,
  detect(probe): Detection | undefined {
    const { head, size } = probe;
    if (ascii(head, PREAMBLE, PREAMBLE + 4) === MAGIC) {
      const file = partTen(head);
      if (file) return file;
    }
    const bare = bareDataSet(head, size);
    if (!bare) return undefined;
    return plain('analysable', {
      ...FORMAT,
      confidence: 0.9,
      code: 'DICOM_DATA_SET',
      message: `DICOM data set without preamble or meta group: ${bare.elements} data elements read in ascending tag order as ${bare.encoding}, each value length even and inside the file (PS3.5 §7.1): readable medical data.`,
      figures: { elements: bare.elements, encoding: bare.encoding },
    });
  },
});
