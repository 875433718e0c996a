/**
 * PGP Virtual Disk images (PGPdisk `.pgd`, PGP Desktop 6 to Symantec
 * Encryption Desktop 10): a file holding an encrypted volume. Its first
 * header is in clear: magic "PGPd", type "MAIN", header size, CRC, the offset
 * of the next header (the user records), then major/minor version, block
 * counts, the encryption algorithm (u32 LE at 0x3C: 1 copy-data, i.e. not
 * encrypted; 2/3 CAST5; 4 Twofish; 5 AES-256; 6/7 EME/EME2-AES-256) and the
 * 16-byte passphrase salt. User records ("USER" then "SYMM" for a passphrase
 * user, "PKEY" for a public-key user) carry the disk key wrapped for each
 * user; when they lie in the probe, they are counted.
 * Reference: PGP Desktop 10 source (clients2/diskengine/shared/
 * CPGPdiskHeaders.cpp OnDiskHeaderInfo/OnDiskMainHeader, CPGPdiskUser.cpp
 * OnDiskUserInfo), as JtR run/pgpdisk2john.py documents the packed layout.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, plain, u16le, u32le, u64le } from './util.js';

const ALGORITHMS: Record<number, string> = {
  1: 'none (copy data)',
  2: 'cast5-old',
  3: 'cast5',
  4: 'twofish',
  5: 'aes256',
  6: 'eme-aes256',
  7: 'eme2-aes256',
};
/** Offsets inside a user record: the record type, and the passphrase hash repetitions of a SYMM user. */
const USER_TYPE_AT = 4;
const USER_HASH_REPS_AT = 304;
const MAX_USERS = 64;

interface Users {
  passphrase: number;
  publicKey: number;
  hashReps?: number;
}

/** The user records from `at` on, as far as the head holds them (they follow one another, each "USER" + type + size). */
function readUsers(h: Uint8Array, at: number): Users | undefined {
  const users: Users = { passphrase: 0, publicKey: 0 };
  for (let n = 0; n < MAX_USERS && at + 12 <= h.length && ascii(h, at, at + 4) === 'USER'; n++) {
    const type = ascii(h, at + USER_TYPE_AT, at + USER_TYPE_AT + 4);
    if (type === 'SYMM') {
      users.passphrase++;
      const reps = u16le(h, at + USER_HASH_REPS_AT);
      if (users.hashReps === undefined && reps !== undefined) users.hashReps = reps;
    } else if (type === 'PKEY') users.publicKey++;
    const size = u32le(h, at + 8) ?? 0;
    if (size < 12) break;
    at += size;
  }
  return users.passphrase + users.publicKey > 0 ? users : undefined;
}

export const pgpDiskDetector = defineDetector({
  meta: {
    id: 'pgp-disk',
    version: '1.0.0',
    title: 'PGP Virtual Disk images (PGPdisk)',
    formats: [
      { id: 'pgpdisk', name: 'PGP Virtual Disk image', status: 'encrypted', how: 'header-field', extensions: ['pgd'] },
      {
        id: 'pgpdisk-unencrypted',
        name: 'PGP Virtual Disk image (copy-data algorithm, not encrypted)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['pgd'],
      },
    ],
    indexPatterns: ['**/*.skr'],
  },
  signatures: [{ offset: 0, ascii: 'PGPdMAIN' }],
  minSize: 80,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (ascii(h, 0, 8) !== 'PGPdMAIN') return undefined;
    const headerSize = u32le(h, 8) ?? 0;
    const major = h[32] ?? 0;
    const minor = h[33] ?? 0;
    const algorithm = u32le(h, 60) ?? 0;
    const cipher = ALGORITHMS[algorithm];
    // The header must be a plausible size and the version one PGP wrote (1 to 7); the algorithm a known one.
    if (headerSize < 80 || headerSize > 64 * 1024 || major < 1 || major > 15 || !cipher) return undefined;
    const fields = `PGPdisk MAIN header, version ${major}.${minor}, algorithm ${algorithm} (${cipher})`;
    if (algorithm === 1)
      return plain('analysable', {
        id: 'pgpdisk-unencrypted',
        name: 'PGP Virtual Disk image (copy-data algorithm, not encrypted)',
        confidence: 0.9,
        code: 'PGPDISK_HEADER',
        message: `${fields}: the volume data is copied, not encrypted.`,
        figures: { major, minor, algorithm },
      });
    const next = u64le(h, 16) ?? 0;
    const users = next > 0 && next < h.length ? readUsers(h, next) : undefined;
    const userText = users
      ? `; ${users.passphrase} passphrase user(s)${users.hashReps !== undefined ? ` (${users.hashReps} hash repetitions)` : ''} and ${users.publicKey} public-key user(s)`
      : '; user records beyond the probe';
    return locked({
      id: 'pgpdisk',
      name: 'PGP Virtual Disk image',
      confidence: 0.97,
      code: 'PGPDISK_HEADER',
      message: `${fields}, salt in clear${userText}.`,
      figures: {
        major,
        minor,
        algorithm,
        cipher,
        ...(users ? { passphraseUsers: users.passphrase, publicKeyUsers: users.publicKey } : {}),
        ...(users?.hashReps !== undefined ? { hashReps: users.hashReps } : {}),
      },
      scheme: `pgpdisk-${cipher}`,
      keyHint: {
        description:
          users && users.publicKey > 0 && users.passphrase === 0
            ? "The PGP private key of one of the disk's public-key users (a secret keyring, secring.skr / *.skr), with its passphrase."
            : "The passphrase of one of the disk's users, or the PGP private key of a public-key user (a secret keyring, *.skr).",
        kind: 'password',
        present: 'unknown',
        lookFor: ['**/*.skr'],
      },
    });
  },
});
