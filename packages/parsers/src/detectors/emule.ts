/**
 * eMule's own files: `known.met` (every file the client shared or downloaded:
 * name, size, hashes, transfer counts) and `preferences.dat` (the user hash
 * and the window placement). Both are evidence of peer-to-peer sharing that
 * only an eMule parser reads: opaque, named so that statistics never decide
 * them.
 * References: eMule source (KnownFileList.cpp / KnownFile.cpp: MET_HEADER
 * 0x0E, MET_HEADER_I64TAGS 0x0F, record = date, MD4 hash, part hashes,
 * tags; Packets.cpp: tag types; Preferences.cpp: PREFFILE_VERSION 0x14, user
 * hash bytes 5 = 14 and 14 = 111, WINDOWPLACEMENT); IPED's eMule parsers.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u16le, u32le } from './util.js';

const MET_HEADER = 0x0e;
const MET_HEADER_I64TAGS = 0x0f;
const PREFERENCES_VERSION = 0x14;
/** Version byte, user hash, WINDOWPLACEMENT (44 bytes: its length field says so). */
const PREFERENCES_SIZE = 1 + 16 + 44;
/** Unix times 2000 to 2100: a record's last-written date. */
const DATE_MIN = 946_684_800;
const DATE_MAX = 4_102_444_800;

/** The value length of a tag type past its header, reading lengths at `at`; undefined for types eMule does not write. */
function tagValueLength(h: Uint8Array, type: number, at: number): number | undefined {
  switch (type) {
    case 0x01: // hash
      return 16;
    case 0x02: // string
      return 2 + (u16le(h, at) ?? 0x10000);
    case 0x03: // uint32
    case 0x04: // float32
      return 4;
    case 0x05: // bool
    case 0x09: // uint8
      return 1;
    case 0x07: // blob
      return 4 + (u32le(h, at) ?? 0x1000000);
    case 0x08: // uint16
      return 2;
    case 0x0a: // bsob
      return 1 + (h[at] ?? 0xff);
    case 0x0b: // uint64
      return 8;
    default:
      // STR1 to STR16: strings whose length is in the type.
      return type >= 0x11 && type <= 0x20 ? type - 0x10 : undefined;
  }
}

interface MetWalk {
  records: number;
  /** Where the walk stopped: the end of the last complete record. */
  end: number;
  /** The head ended inside a record. */
  truncated: boolean;
}

function walkKnownMet(h: Uint8Array, size: number): MetWalk | undefined {
  const count = u32le(h, 1) ?? 0;
  if (count === 0 || count > size / 25) return undefined;
  let at = 5;
  let records = 0;
  for (; records < count; records++) {
    const start = at;
    const date = u32le(h, at);
    const parts = u16le(h, at + 20);
    if (date === undefined || parts === undefined) return { records, end: start, truncated: true };
    if (date < DATE_MIN || date > DATE_MAX) return undefined;
    at += 22 + 16 * parts;
    const tags = u32le(h, at);
    if (tags === undefined) return { records, end: start, truncated: true };
    if (tags === 0 || tags > 1000) return undefined;
    at += 4;
    for (let t = 0; t < tags; t++) {
      if (at >= h.length) return { records, end: start, truncated: true };
      let type = h[at]!;
      if (type & 0x80) {
        // New-style tag: one-byte name id.
        type &= 0x7f;
        at += 2;
      } else {
        const nameLength = u16le(h, at + 1);
        if (nameLength === undefined) return { records, end: start, truncated: true };
        if (nameLength === 0 || nameLength > 64) return undefined;
        at += 3 + nameLength;
      }
      const length = tagValueLength(h, type, at);
      if (length === undefined) return undefined;
      at += length;
    }
    if (at > size) return undefined;
    if (at > h.length) return { records, end: start, truncated: true };
  }
  return { records, end: at, truncated: false };
}

function knownMet(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (h[0] !== MET_HEADER && h[0] !== MET_HEADER_I64TAGS) return undefined;
  const walk = walkKnownMet(h, probe.size);
  // The records end the file; a head that ends mid-record must have shown a whole record first.
  if (!walk || (walk.truncated ? walk.records === 0 || probe.size <= h.length : walk.end !== probe.size))
    return undefined;
  const count = u32le(h, 1)!;
  return plain('opaque', {
    id: 'emule-known-met',
    name: 'eMule known files list (known.met)',
    confidence: 0.9,
    code: 'EMULE_KNOWN_MET',
    message: `eMule known.met (header 0x${h[0].toString(16)}): ${count} shared or downloaded file record(s) whose hashes and tags ${walk.truncated ? `decode for the ${walk.records} in the head` : 'decode to the end of the file'}; not encrypted.`,
    figures: { records: count },
  });
}

function preferencesDat(probe: Probe): Detection | undefined {
  const h = probe.head;
  // eMule marks its user hashes: byte 5 is 14 and byte 14 is 111 (in the file, after the version byte).
  if (probe.size !== PREFERENCES_SIZE || h[0] !== PREFERENCES_VERSION || h[1 + 5] !== 14 || h[1 + 14] !== 111)
    return undefined;
  // WINDOWPLACEMENT.length (its other fields are whatever the window was).
  if (u32le(h, 17) !== 44) return undefined;
  return plain('opaque', {
    id: 'emule-preferences',
    name: 'eMule preferences.dat',
    confidence: 0.88,
    code: 'EMULE_PREFERENCES',
    message:
      "eMule preferences.dat: version 0x14, a user hash with eMule's marks (bytes 5 and 14 are 14 and 111) and the window placement: the client's identity on the network; not encrypted.",
  });
}

export const emuleDetector = defineDetector({
  meta: {
    id: 'emule',
    version: '1.0.0',
    title: 'eMule known.met and preferences.dat',
    formats: [
      {
        id: 'emule-known-met',
        name: 'eMule known files list (known.met)',
        status: 'opaque',
        how: 'structure',
        extensions: ['met'],
      },
      {
        id: 'emule-preferences',
        name: 'eMule preferences.dat',
        status: 'opaque',
        how: 'structure',
        extensions: ['dat'],
      },
    ],
  },
  minSize: 30,
  priority: 35,
  signatures: [
    { offset: 0, hex: '0e' },
    { offset: 0, hex: '0f' },
    { offset: 0, hex: '14' },
  ],
  detect(probe): Detection | undefined {
    return knownMet(probe) ?? preferencesDat(probe);
  },
});
