/**
 * age-encrypted files (binary and ASCII-armored) and age identity files. The
 * header lists one stanza per recipient; its type tells what unlocks the file
 * (X25519 identity, scrypt passphrase, SSH key). Identity files hold a secret
 * key in clear: key material, analysable, not encrypted.
 * Reference: C2SP age specification (https://age-encryption.org/v1).
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { fromBase64, indexOf, ascii, locked, plain, startsWith, textInfo } from './util.js';

const IDENTITY_GLOBS = ['**/*.age-identity', '**/age/keys.txt', '**/*keys.txt', '**/.ssh/id_ed25519', '**/.ssh/id_rsa'];
const ARMOR = '-----BEGIN AGE ENCRYPTED FILE-----';

function hintFor(types: readonly string[]): KeyHint {
  if (types.length > 0 && types.every((t) => t === 'scrypt'))
    return {
      description: 'The passphrase the file was encrypted with (scrypt stanza).',
      kind: 'password',
      present: 'unknown',
    };
  const what = types.map((t) =>
    t === 'X25519'
      ? 'an age identity (AGE-SECRET-KEY-1...)'
      : t.startsWith('ssh-')
        ? `an SSH private key (${t})`
        : t === 'scrypt'
          ? 'a passphrase'
          : `a ${t} identity`,
  );
  return {
    description: `Any one of: ${[...new Set(what)].join('; ')}.`,
    kind: 'key-file',
    present: 'unknown',
    lookFor: IDENTITY_GLOBS,
  };
}

export const ageDetector = defineDetector({
  meta: {
    id: 'age',
    version: '1.0.0',
    title: 'age encrypted files and identities',
    formats: [
      { id: 'age', name: 'age encrypted file', status: 'encrypted', how: 'signature', extensions: ['age'] },
      {
        id: 'age-armored',
        name: 'age encrypted file, armored',
        status: 'encrypted',
        how: 'signature',
        extensions: ['age', 'asc', 'txt'],
      },
      {
        id: 'age-identity',
        name: 'age identity (secret key in clear)',
        status: 'analysable',
        how: 'structure',
        extensions: ['txt', 'key', 'age'],
      },
    ],
    indexPatterns: IDENTITY_GLOBS,
  },
  priority: 20,
  signatures: [
    { offset: 0, ascii: 'age-encryption.org/v1\n' },
    { offset: 0, ascii: ARMOR },
    { offset: 0, ascii: 'AGE-SECRET-KEY-1', within: Number.MAX_SAFE_INTEGER }, // an identity anywhere in the head
  ],
  detect(probe): Detection | undefined {
    const h = probe.head;
    let header: string | undefined;
    let armored = false;
    if (startsWith(h, 'age-encryption.org/v1\n')) header = ascii(h, 0, 4096);
    else if (h[0] === 0x2d && ascii(h, 0, 64).trimStart().startsWith(ARMOR)) {
      const body = ascii(h, 0, 8192).split(ARMOR)[1]?.split('-----END')[0] ?? '';
      const raw = fromBase64(body.slice(0, body.length - (body.replace(/\s/g, '').length % 4)));
      if (raw && startsWith(raw, 'age-encryption.org/v1\n')) {
        header = ascii(raw, 0, 4096);
        armored = true;
      }
    }
    if (header !== undefined) {
      const types = [...header.matchAll(/^-> (\S+)/gm)].map((m) => m[1]!);
      return locked({
        id: armored ? 'age-armored' : 'age',
        name: armored ? 'age encrypted file, armored' : 'age encrypted file',
        confidence: 0.98,
        code: 'AGE_HEADER',
        message: `age v1 header${armored ? ' (inside ASCII armor)' : ''} with ${types.length} recipient stanza(s): ${types.join(', ') || 'none read'}.`,
        figures: { stanzas: types.length, types: types.join(',') },
        scheme: 'age-v1',
        keyHint: hintFor(types),
      });
    }
    const text = indexOf(h, 'AGE-SECRET-KEY-1') >= 0 ? textInfo(h) : undefined;
    if (text && /^AGE-SECRET-KEY-1[0-9A-Z]{58}$/m.test(text.text)) {
      return plain('analysable', {
        id: 'age-identity',
        name: 'age identity (secret key in clear)',
        confidence: 0.95,
        code: 'AGE_IDENTITY_IN_CLEAR',
        message: 'Text holding an AGE-SECRET-KEY-1 line: an age secret key in clear (key material, not encrypted).',
      });
    }
    return undefined;
  },
});
