/**
 * zbackup repository files. Every file zbackup writes in clear starts with a
 * length-delimited FileHeader message (version 1: 08 01; bundles add the
 * compression method's name, "lzma" or "lzo1x"), then a
 * length-delimited message of the file's kind (StorageInfo, BackupInfo,
 * bundle and index headers...), and ends with an Adler-32 of all the bytes
 * before it, little-endian. In an encrypted repository every file but `info`
 * is AES-128-CBC ciphertext with no clear header (left to statistics); `info`
 * stays clear and holds, in StorageInfo field 3, the repository key wrapped
 * under a key derived from the password (salt, rounds, key-check HMAC).
 * Reference: zbackup zbackup.proto (FileHeader, StorageInfo,
 * EncryptionKeyInfo) and protobuf_helpers.cc (Adler-32 trailer).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { randomUnderNamedPath } from './statistics-figures.js';
import { locked, plain, protoFields, varint } from './util.js';

function adler32(b: Uint8Array, end: number): number {
  let a = 1;
  let s = 0;
  for (let i = 0; i < end; i++) {
    a = (a + b[i]!) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

export const zbackupDetector = defineDetector({
  meta: {
    id: 'zbackup',
    version: '1.0.0',
    title: 'zbackup repository files',
    formats: [
      { id: 'zbackup-file', name: 'zbackup repository file', status: 'analysable', how: 'header-field' },
      {
        id: 'zbackup-info-encrypted',
        name: 'zbackup repository info (encrypted repository, key wrapped by the password)',
        status: 'encrypted',
        how: 'header-field',
      },
    ],
  },
  priority: 30,
  signatures: [{ offset: 1, hex: '0801' }],
  detect(probe): Detection | undefined {
    const h = probe.head;
    // FileHeader: a length byte, then version 1 (08 01) and, in newer files, the compression method's name.
    const headerLength = h[0]!;
    if (probe.size < 8 || headerLength < 2 || headerLength > 40 || h[1] !== 0x08 || h[2] !== 0x01) return undefined;
    const header = protoFields(h, 1, 1 + headerLength, 4);
    if (!header || header.some((f) => f.field > 2)) return undefined;
    const method = header.find((f) => f.field === 2 && f.wire === 2)?.bytes;
    if (method && !/^[a-z0-9_-]{1,16}$/.test(Buffer.from(method).toString('latin1'))) return undefined;
    const len = varint(h, 1 + headerLength);
    if (!len) return undefined;
    const [bodyLength, bodyStart] = len;
    const bodyEnd = bodyStart + bodyLength;
    if (bodyEnd + 4 > probe.size) return undefined;
    // The first message must parse whole when the probe holds it (it is a few hundred bytes at most).
    const fields = bodyEnd <= h.length ? protoFields(h, bodyStart, bodyEnd) : undefined;
    if (!fields) return undefined;
    let checksum: boolean | undefined;
    if (probe.complete) {
      const stored =
        (h[h.length - 4]! | (h[h.length - 3]! << 8) | (h[h.length - 2]! << 16) | (h[h.length - 1]! << 24)) >>> 0;
      checksum = stored === adler32(h, h.length - 4);
      if (!checksum) return undefined;
    }
    const proof = checksum
      ? 'and an Adler-32 of the whole file that matches'
      : '(the Adler-32 at the end is past the bytes read)';
    // StorageInfo (the file "info") with field 3, EncryptionKeyInfo: the repository is encrypted.
    const keyInfo = fields.find((f) => f.field === 3 && f.wire === 2);
    const keyFields = keyInfo?.bytes ? protoFields(keyInfo.bytes) : undefined;
    const rounds = keyFields?.find((f) => f.field === 2 && f.wire === 0)?.value;
    // EncryptionKeyInfo: a 16-byte wrapped key (1), the rounds (2) and a 16-byte salt (3).
    const sixteen = (n: number) => keyFields?.some((f) => f.field === n && f.wire === 2 && f.bytes?.length === 16);
    if (rounds !== undefined && sixteen(1) && sixteen(3)) {
      return locked({
        id: 'zbackup-info-encrypted',
        name: 'zbackup repository info (encrypted repository, key wrapped by the password)',
        confidence: checksum ? 0.96 : 0.88,
        code: 'ZBACKUP_ENCRYPTED_INFO',
        message: `zbackup repository info${probe.name === 'info' ? ' ("info")' : ''}: FileHeader version 1 and a StorageInfo with an EncryptionKeyInfo (key wrapped with a key derived from the password in ${rounds} rounds) ${proof}. Every other file of the repository is AES-128-CBC ciphertext under that key.`,
        figures: { rounds, checksum: checksum ?? 'unread' },
        scheme: 'zbackup-pbkdf2-aes-128-cbc',
        keyHint: {
          description:
            'The repository password (zbackup --password-file, often a file kept beside the backup scripts).',
          kind: 'password',
          present: 'unknown',
        },
      });
    }
    return plain('analysable', {
      id: 'zbackup-file',
      name: 'zbackup repository file',
      confidence: checksum ? 0.95 : 0.85,
      code: 'ZBACKUP_FILE_HEADER',
      message: `zbackup file: FileHeader version 1${method ? ` (compression ${Buffer.from(method).toString('latin1')})` : ''}, a ${bodyLength}-byte message of ${fields.length} field(s) ${proof}; written in clear (an unencrypted repository, or its "info" file).`,
      figures: { messageBytes: bodyLength, checksum: checksum ?? 'unread' },
    });
  },
});

/** bundles/<xx>/<id>, index/<id> (the id 48 lower-case hex digits), or the repository's info_extended. */
const ENCRYPTED_PATH = /(?:^|\/)(?:bundles\/([0-9a-f]{2})\/(\1[0-9a-f]{46})|index\/([0-9a-f]{48})|(info_extended))$/;

/**
 * The files of an encrypted zbackup repository: AES-128-CBC from the first byte (a random IV, then whole
 * 16-byte blocks), so only the repository's layout names them: bundles in bundles/<first two digits>/ and
 * indexes in index/, named by 24 random bytes in hex, and the fixed name info_extended. A fallback: it
 * runs when no detector recognised the bytes, and wants sizes in whole blocks and uniformly random bytes.
 */
export const zbackupRepositoryDetector = defineDetector({
  meta: {
    id: 'zbackup-repository',
    version: '1.0.0',
    title: 'Encrypted zbackup repository files by path and content',
    formats: [
      {
        id: 'zbackup-encrypted-file',
        name: 'zbackup repository file (encrypted)',
        status: 'encrypted',
        how: 'path',
      },
    ],
  },
  minSize: 32,
  fallback: true,
  priority: 30,
  detect(probe): Detection | undefined {
    if (probe.size % 16 !== 0) return undefined;
    const m = ENCRYPTED_PATH.exec(probe.logicalPath.replaceAll('\\', '/'));
    if (!m) return undefined;
    const kind = m[2] ? 'bundle' : m[3] ? 'index' : 'extended info';
    const e = randomUnderNamedPath(probe);
    if (!e) return undefined;
    return {
      ...locked({
        id: 'zbackup-encrypted-file',
        name: 'zbackup repository file (encrypted)',
        confidence: 0.8,
        code: 'ZBACKUP_ENCRYPTED_PATH',
        message: `A zbackup ${kind} file where an encrypted repository keeps it (${m[4] ? 'info_extended' : m[2] ? 'bundles/<xx>/<48 hex digits>' : 'index/<48 hex digits>'}), ${probe.size} bytes in whole 16-byte blocks and uniformly random (entropy ${e.shannon}): AES-128-CBC under the repository key, which the repository's info file wraps with the password.`,
        figures: { kind, shannon: e.shannon },
        scheme: 'zbackup-pbkdf2-aes-128-cbc',
        keyHint: {
          description: "The repository password, which unwraps the key in the repository's info file.",
          kind: 'password',
          present: 'unknown',
        },
      }),
      entropy: e,
      basis: 'path',
    };
  },
});
