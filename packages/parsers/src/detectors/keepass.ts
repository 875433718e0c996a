/**
 * KeePass password databases: KeePass 1.x `.kdb` and KeePass 2.x `.kdbx`
 * (versions 2, 3.1 and 4). The two signatures are in clear; everything after
 * the header is encrypted with a key derived from the master password and/or
 * a key file.
 * The KDBX header fields are in clear too: the cipher (field 2) and the key
 * derivation (KDBX 3: AES-KDF with its rounds, field 6; KDBX 4: the
 * KdfParameters VariantDictionary, field 11, with "$UUID" naming AES-KDF,
 * Argon2d or Argon2id and their rounds, memory and parallelism) go into the
 * scheme and figures: they say what one password guess costs.
 * Reference: KeePassXC src/format/KeePass2.h (SIGNATURE_1 0x9AA2D903,
 * SIGNATURE_2 0xB54BFB67, KDB 0xB54BFB65, cipher and KDF UUIDs),
 * Kdbx4Reader.cpp (32-bit field lengths, VariantDictionary) and
 * KeePass1Reader.cpp (flags).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, u16le, u32le, u64le } from './util.js';

const SIG1 = 0x9aa2d903;
const KDB_CIPHERS: Array<[number, string]> = [
  [2, 'aes'],
  [4, 'arc4'],
  [8, 'twofish'],
];

const CIPHERS: Record<string, string> = {
  '31c1f2e6bf714350be5805216afc5aff': 'aes256',
  ad68f29f576f4bb9a36ad47af965346c: 'twofish',
  d6038a2b8b6f4cb5a524339a31dbb59a: 'chacha20',
};
const KDFS: Record<string, string> = {
  c9d9f39a628a4460bf740d08c18a4fea: 'aes-kdf',
  '7c02bb8279a74ac0927d114a00648238': 'aes-kdf',
  ef636ddf8c29444b91f7a9a403e30a0c: 'argon2d',
  '9e298b1956db4773b23dfc3ec6f0a1e6': 'argon2id',
};

interface KdbxParams {
  cipher: string;
  kdf: string;
  figures: Record<string, string | number>;
}

/** The cipher and key derivation from the clear KDBX header (fields from offset 12), as far as the head holds them. */
function kdbxParams(h: Uint8Array, major: number): KdbxParams {
  const wide = major >= 4;
  const fields = new Map<number, Uint8Array>();
  for (let at = 12, n = 0; n < 32 && at + (wide ? 5 : 3) <= h.length; n++) {
    const id = h[at]!;
    const len = (wide ? u32le(h, at + 1) : u16le(h, at + 1)) ?? 0;
    const start = at + (wide ? 5 : 3);
    if (id === 0 || start + len > h.length) break;
    fields.set(id, h.subarray(start, start + len));
    at = start + len;
  }
  const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : '');
  const cipher = CIPHERS[hex(fields.get(2))] ?? 'unknown';
  if (!wide) {
    const rounds = fields.get(6)?.length === 8 ? (u64le(fields.get(6)!, 0) ?? 0) : 0;
    return { cipher, kdf: 'aes-kdf', figures: { cipher, kdf: 'aes-kdf', rounds } };
  }
  const dict = variantDictionary(fields.get(11));
  const kdf = KDFS[hex(dict.get('$UUID'))] ?? 'unknown';
  const num = (key: string) => {
    const v = dict.get(key);
    return v?.length === 8 ? (u64le(v, 0) ?? 0) : v?.length === 4 ? (u32le(v, 0) ?? 0) : 0;
  };
  const figures: Record<string, string | number> =
    kdf === 'aes-kdf'
      ? { cipher, kdf, rounds: num('R') }
      : { cipher, kdf, iterations: num('I'), memoryKiB: Math.round(num('M') / 1024), parallelism: num('P') };
  return { cipher, kdf, figures };
}

/** A KDBX 4 VariantDictionary (u16 version, then type, u32 name length, name, u32 value length, value). */
function variantDictionary(b: Uint8Array | undefined): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  if (!b) return out;
  for (let at = 2, n = 0; n < 32 && at + 9 <= b.length && b[at] !== 0; n++) {
    const nameLen = u32le(b, at + 1) ?? 0;
    const valueAt = at + 5 + nameLen + 4;
    const valueLen = u32le(b, at + 5 + nameLen) ?? 0;
    if (valueAt + valueLen > b.length) break;
    out.set(ascii(b, at + 5, at + 5 + nameLen), b.subarray(valueAt, valueAt + valueLen));
    at = valueAt + valueLen;
  }
  return out;
}

/** Key files KeePass users keep beside a database. */
const KEY_FILE_GLOBS = ['**/*.keyx', '**/*.key'];

export const keepassDetector = defineDetector({
  meta: {
    id: 'keepass',
    version: '1.1.0',
    title: 'KeePass 1.x and 2.x databases',
    formats: [
      { id: 'kdbx', name: 'KeePass 2 database (KDBX)', status: 'encrypted', how: 'signature', extensions: ['kdbx'] },
      { id: 'kdb', name: 'KeePass 1 database (KDB)', status: 'encrypted', how: 'signature', extensions: ['kdb'] },
    ],
    indexPatterns: KEY_FILE_GLOBS,
  },
  signatures: [{ offset: 0, hex: '03d9a29a' }],
  minSize: 12,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (u32le(h, 0) !== SIG1) return undefined;
    const sig2 = u32le(h, 4);
    const keyHint = {
      description: 'The master password and/or key file the database was created with.',
      kind: 'password' as const,
      present: 'unknown' as const,
      lookFor: KEY_FILE_GLOBS,
    };
    if (sig2 === 0xb54bfb67 || sig2 === 0xb54bfb66) {
      const minor = u16le(h, 8) ?? 0;
      const major = u16le(h, 10) ?? 0;
      const p = kdbxParams(h, major);
      const cost =
        p.kdf === 'aes-kdf'
          ? `AES-KDF, ${p.figures.rounds} rounds`
          : p.kdf === 'unknown'
            ? 'an unrecognised key derivation'
            : `${p.kdf === 'argon2d' ? 'Argon2d' : 'Argon2id'}, ${p.figures.iterations} iterations over ${p.figures.memoryKiB} KiB, parallelism ${p.figures.parallelism}`;
      return locked({
        id: 'kdbx',
        name: 'KeePass 2 database (KDBX)',
        confidence: 0.98,
        code: 'KDBX_SIGNATURE',
        message: `KeePass 2 signatures 9AA2D903/${sig2.toString(16).toUpperCase()}, file format version ${major}.${minor}; cipher ${p.cipher}, key derivation ${cost}.`,
        figures: { major, minor, ...p.figures },
        scheme: `kdbx-${major}-${p.kdf}-${p.cipher}`,
        keyHint: {
          ...keyHint,
          description: `The master password and/or key file the database was created with (each guess costs one ${p.kdf === 'unknown' ? 'key derivation' : p.kdf === 'aes-kdf' ? 'AES-KDF run' : `${p.kdf} run`}).`,
        },
      });
    }
    if (sig2 === 0xb54bfb65) {
      const flags = u32le(h, 8) ?? 0;
      const cipher =
        KDB_CIPHERS.filter(([bit]) => flags & bit)
          .map(([, n]) => n)
          .join('+') || 'unknown';
      return locked({
        id: 'kdb',
        name: 'KeePass 1 database (KDB)',
        confidence: 0.98,
        code: 'KDB_SIGNATURE',
        message: `KeePass 1 signatures 9AA2D903/B54BFB65, cipher ${cipher}.`,
        figures: { flags, cipher },
        scheme: `kdb-${cipher}`,
        keyHint,
      });
    }
    return undefined;
  },
});
