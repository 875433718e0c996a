/**
 * EnCase 7 evidence files (EWF2: Ex01 disk images, Lx01 logical images) and
 * whether their sections are encrypted. Each section ends with a 64-byte
 * descriptor that stays in clear: type (u32le), data flags (u32le: 0x1 MD5,
 * 0x2 encrypted), previous section offset (u64le, 0 for the first), data
 * size (u64le, padding included), descriptor size (64), padding size, an MD5,
 * 12 zero bytes and an Adler-32 of the 60 bytes before it. The first section
 * (device information in Ex01, case data in Lx01) starts right after the
 * 32-byte file header, so its descriptor is found where its size and checksum
 * say so.
 * References: libewf documentation, "Expert Witness Compression Format 2
 * (EWF2)" (file header, section descriptor, data flags); keramics
 * docs/formats/ewf2.md. No Debian tool writes EWF2 (ewfacquire writes EWF1):
 * the fixtures are written from this layout (fixtures/ewf2/generate.py).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, plain, startsWith, u32le } from './util.js';

const FILE_HEADER = 32;
const DESCRIPTOR = 64;
const ENCRYPTED = 0x2;
/** Section types libewf documents (EnCase's 0x01-0x10 and the Lx01 single-file tables 0x20-0x23). */
const knownType = (t: number) => (t >= 0x01 && t <= 0x10) || (t >= 0x20 && t <= 0x23);
/** How far the first section's descriptor is looked for: device information and case data are small. */
const SEARCH = 8192;

const KINDS = {
  'EVF2\r\n\x81\x00': { id: 'ewf2', name: 'EnCase 7 evidence file (Ex01)' },
  'LEF2\r\n\x81\x00': { id: 'ewf2-logical', name: 'EnCase 7 logical evidence file (Lx01)' },
} as const;

function adler32(b: Uint8Array, start: number, end: number): number {
  let a = 1;
  let s = 0;
  for (let i = start; i < end; i++) {
    a = (a + b[i]!) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

/** The first section's descriptor: at a 16-byte boundary, its data from the file header up to it, checksum right. */
function firstDescriptor(h: Uint8Array): { at: number; type: number; flags: number } | undefined {
  const end = Math.min(h.length - DESCRIPTOR, FILE_HEADER + SEARCH);
  for (let at = FILE_HEADER; at <= end; at += 16) {
    const type = u32le(h, at)!;
    if (!knownType(type) || u32le(h, at + 24) !== DESCRIPTOR) continue;
    const previous = u32le(h, at + 8)! + u32le(h, at + 12)! * 2 ** 32;
    const dataSize = u32le(h, at + 16)! + u32le(h, at + 20)! * 2 ** 32;
    if (previous !== 0 || dataSize !== at - FILE_HEADER) continue;
    if (adler32(h, at, at + 60) !== u32le(h, at + 60)) continue;
    return { at, type, flags: u32le(h, at + 4)! };
  }
  return undefined;
}

export const ewf2Detector = defineDetector({
  meta: {
    id: 'ewf2',
    version: '1.0.0',
    title: 'EnCase 7 evidence files (Ex01, Lx01) and their encrypted sections',
    formats: [
      {
        id: 'ewf2',
        name: 'EnCase 7 evidence file (Ex01)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['ex01'],
      },
      {
        id: 'ewf2-logical',
        name: 'EnCase 7 logical evidence file (Lx01)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['lx01'],
      },
      {
        id: 'ewf2-encrypted',
        name: 'EnCase 7 evidence file, encrypted',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['ex01', 'lx01'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '455646320d0a8100' },
    { offset: 0, hex: '4c4546320d0a8100' },
  ],
  minSize: FILE_HEADER,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const signature = Object.keys(KINDS).find((s) => startsWith(h, s)) as keyof typeof KINDS | undefined;
    if (!signature) return undefined;
    const kind = KINDS[signature];
    const major = h[8];
    const compression = h[10];
    if (major !== 2 || compression === undefined || compression > 2) return undefined;
    const first = firstDescriptor(h);
    const figures = {
      version: `${major}.${h[9]}`,
      compression,
      ...(first ? { firstSectionType: first.type, firstSectionFlags: first.flags, descriptorAt: first.at } : {}),
    };
    if (first && first.flags & ENCRYPTED) {
      return locked({
        id: 'ewf2-encrypted',
        name: 'EnCase 7 evidence file, encrypted',
        confidence: 0.95,
        code: 'EWF2_ENCRYPTED_SECTION',
        message: `${kind.name} whose first section (type ${first.type}, descriptor at ${first.at}, Adler-32 checked) has the ENCRYPTED data flag (0x2): its sections are encrypted.`,
        figures,
        scheme: 'ewf2-aes256',
        keyHint: {
          description: 'The password given in EnCase when the evidence file was acquired (or its encryption key file).',
          kind: 'password',
          present: 'unknown',
        },
      });
    }
    return plain('analysable', {
      id: kind.id,
      name: kind.name,
      confidence: first ? 0.95 : 0.8,
      code: first ? 'EWF2_CLEAR_SECTION' : 'EWF2_SIGNATURE',
      message: first
        ? `${kind.name}, version ${figures.version}: its first section (type ${first.type}, descriptor at ${first.at}, Adler-32 checked) is not flagged encrypted.`
        : `${kind.name} signature, version ${figures.version}; no first-section descriptor found in the first ${SEARCH} bytes, so whether it is encrypted was not checked.`,
      figures,
    });
  },
});
