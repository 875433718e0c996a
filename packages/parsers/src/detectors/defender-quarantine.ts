/**
 * Windows Defender quarantine files (ProgramData/Microsoft/Windows Defender/Quarantine). Defender
 * RC4-encrypts what it quarantines under one fixed 256-byte key compiled into mpengine.dll and
 * published long ago (cuckoo's quarantine.py, defender-dump, dissect.target): anyone recovers the
 * file without a secret, so this is obfuscation, not encryption. Statistics alone call the files
 * random ("encrypted"); decrypting the first bytes under the published key shows the structure.
 * - Entries/{GUID}: a 0x3C-byte header, then two sections, each RC4 from the start of the key
 *   stream. The header starts db e8 c5 01 and holds the sections' lengths at 0x28 and 0x2C; the
 *   first section holds a GUID, 16 bytes, the quarantine FILETIME and the threat name.
 * - ResourceData/xx/<SHA-1>: the whole file RC4: 03 00 00 00 02 00 00 00, the length of a
 *   self-relative security descriptor at 8, the descriptor at 0x14, then the quarantined file's
 *   length (u64, 0x1C after the descriptor) and its bytes (0x28 after the descriptor).
 * Because the key stream is fixed, each plaintext magic is a fixed ciphertext prefix: that is the
 * signature. Opaque: a niche container (a quarantine parser unwraps it), with the length of the file
 * inside. References: ERNW whitepaper 71 "Antivirus quarantine" (Windows Defender section).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u16le, u32le, u64le, rc4Keystream } from './util.js';

const KEY = Buffer.from(
  '1e87781b8dbaa844ce69702c0c78b786a3f623b738f5edf9af83530fb3fc54faa21eb9cf1331fd0f0da954f687cb9e18' +
    '279697900e53fb317c9cbce48e23d05371ecc15951b8f3649d7ca33ed68dc9047e82c9baad9799d0d458cb847ca9ffbe' +
    '3c8a775233557dde13a8b14087cc1bc8f10f6ecdd083a959cff84a9d1d50755e3e191818af23e2293558766d2c07e257' +
    '12b2ca0b535ed8f6c56ce73d24bdd0291771861a54b4c285a9a3db7aca6d224aeacd621db9f2a22ed1e9e11d75bed7dc' +
    '0ecb0a8e68a2ff1263408dc808dffd164b116774cd0b9b8d05411ed6262e429ba495676b8398db2f35d3c1b9ced52636' +
    'f2765e1a95cb7ca4c3ddabddbff38253',
  'hex',
);

/** The RC4 key stream of the published key: every section starts it afresh, so it is computed once. */
const STREAM = rc4Keystream(KEY, 8192);

/** `length` bytes of `b` from `at`, decrypted as if a section started at `sectionStart`. */
function clear(b: Uint8Array, at: number, length: number, sectionStart = 0): Uint8Array | undefined {
  const from = at - sectionStart;
  if (at + length > b.length || from + length > STREAM.length) return undefined;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = b[at + i]! ^ STREAM[from + i]!;
  return out;
}

const ENTRY_MAGIC = Uint8Array.from([0xdb, 0xe8, 0xc5, 0x01]);
const RESOURCE_MAGIC = Uint8Array.from([3, 0, 0, 0, 2, 0, 0, 0]);
const sealed = (magic: Uint8Array) => Buffer.from(magic.map((v, i) => v ^ STREAM[i]!)).toString('hex');
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

const FILETIME_2000 = 125_911_584_000_000_000;
const FILETIME_2100 = 157_469_184_000_000_000;
const MAX_SECTION = 16 * 1024 * 1024;
const ENTRY = { id: 'defender-quarantine-entry', name: 'Windows Defender quarantine entry (RC4, published key)' };
const RESOURCE = {
  id: 'defender-quarantine-resource',
  name: 'Windows Defender quarantined file (RC4, published key)',
};

export const defenderQuarantineDetector = defineDetector({
  meta: {
    id: 'defender-quarantine',
    version: '1.0.0',
    title: 'Windows Defender quarantine entries and quarantined files (RC4 under the published key)',
    formats: [
      { ...ENTRY, status: 'opaque', how: 'structure' },
      { ...RESOURCE, status: 'opaque', how: 'structure' },
    ],
  },
  minSize: 0x3c,
  priority: 20,
  signatures: [
    { offset: 0, hex: sealed(ENTRY_MAGIC) },
    { offset: 0, hex: sealed(RESOURCE_MAGIC) },
  ],
  detect(probe): Detection | undefined {
    const h = probe.head;
    const start = clear(h, 0, 0x3c);
    if (!start) return undefined;
    if (same(start.subarray(0, 4), ENTRY_MAGIC)) return entry(h, start, probe.size);
    if (same(start.subarray(0, 8), RESOURCE_MAGIC)) return resource(h, start, probe.size);
    return undefined;
  },
});

function entry(h: Uint8Array, header: Uint8Array, size: number): Detection | undefined {
  const first = u32le(header, 0x28)!;
  const second = u32le(header, 0x2c)!;
  if (first < 48 || first > MAX_SECTION || second < 4 || second > MAX_SECTION) return undefined;
  if (0x3c + first + second > size) return undefined;
  // The first section, RC4 afresh: GUID, 16 bytes, then when it was quarantined.
  const section = clear(h, 0x3c, 48, 0x3c);
  const when = section ? (u64le(section, 32) ?? 0) : undefined;
  if (when !== undefined && (when < FILETIME_2000 || when > FILETIME_2100)) return undefined;
  const quarantined =
    when === undefined ? undefined : new Date((when - 116_444_736_000_000_000) / 10_000).toISOString();
  return plain('opaque', {
    ...ENTRY,
    confidence: when === undefined ? 0.85 : 0.95,
    code: 'DEFENDER_QUARANTINE_ENTRY',
    message: `Windows Defender quarantine entry: under the RC4 key published from mpengine.dll the header reads db e8 c5 01 with sections of ${first} and ${second} bytes${quarantined ? `, quarantined ${quarantined}` : ''}; the threat name and original path are recoverable without a secret: obfuscation, not encryption.`,
    figures: { firstSection: first, secondSection: second, ...(quarantined ? { quarantined } : {}) },
  });
}

function resource(h: Uint8Array, header: Uint8Array, size: number): Detection | undefined {
  const descriptor = u32le(header, 8)!;
  // A self-relative security descriptor: revision 1, a zero byte, control with SE_SELF_RELATIVE.
  if (descriptor < 20 || descriptor > 65_536 || 0x28 + descriptor > size) return undefined;
  if (header[0x14] !== 1 || header[0x15] !== 0 || ((u16le(header, 0x16) ?? 0) & 0x8000) === 0) return undefined;
  const tail = clear(h, 0x1c + descriptor, 8);
  const length = tail ? (u64le(tail, 0) ?? 0) : undefined;
  if (length !== undefined && (length === 0 || 0x28 + descriptor + length > size)) return undefined;
  return plain('opaque', {
    ...RESOURCE,
    confidence: length === undefined ? 0.85 : 0.95,
    code: 'DEFENDER_QUARANTINE_RESOURCE',
    message: `Windows Defender quarantined file: under the RC4 key published from mpengine.dll it reads 03 00 00 00 02 00 00 00, a ${descriptor}-byte security descriptor${length === undefined ? '' : ` and the quarantined file's ${length} bytes`}; recoverable without a secret: obfuscation, not encryption.`,
    figures: { securityDescriptorBytes: descriptor, ...(length === undefined ? {} : { quarantinedBytes: length }) },
  });
}
