/**
 * KeePass password databases: KeePass 1.x `.kdb` and KeePass 2.x `.kdbx`
 * (versions 2, 3.1 and 4). The two signatures are in clear; everything after
 * the header is encrypted with a key derived from the master password and/or
 * a key file.
 * Reference: KeePassXC src/format/KeePass2.h (SIGNATURE_1 0x9AA2D903,
 * SIGNATURE_2 0xB54BFB67, KDB 0xB54BFB65) and KeePass1Reader.cpp (flags).
 */
import { defineDetector, type Detection } from '@evtriage/core';
import { locked, u16le, u32le } from './util.js';

const SIG1 = 0x9aa2d903;
const KDB_CIPHERS: Array<[number, string]> = [
  [2, 'aes'],
  [4, 'arc4'],
  [8, 'twofish'],
];

/** Key files KeePass users keep beside a database. */
const KEY_FILE_GLOBS = ['**/*.keyx', '**/*.key'];

export const keepassDetector = defineDetector({
  meta: {
    id: 'keepass',
    version: '1.0.0',
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
      return locked({
        id: 'kdbx',
        name: 'KeePass 2 database (KDBX)',
        confidence: 0.98,
        code: 'KDBX_SIGNATURE',
        message: `KeePass 2 signatures 9AA2D903/${sig2.toString(16).toUpperCase()}, file format version ${major}.${minor}.`,
        figures: { major, minor },
        scheme: `kdbx-${major}`,
        keyHint,
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
