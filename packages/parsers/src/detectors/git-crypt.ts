/**
 * git-crypt (transparent encryption of files in a git repository): a file
 * checked out or read from the object store without the key starts with
 * "\0GITCRYPT\0" and a 12-byte nonce (from an HMAC of the clear content),
 * then AES-256-CTR ciphertext. The repository's key file
 * (`.git/git-crypt/keys/<name>`, or one exported with `git-crypt export-key`)
 * starts with "\0GITCRYPTKEY" and a u32 BE format version: key material in clear.
 * Reference: AGWA/git-crypt commands.cpp (encrypt: header and nonce) and
 * key.cpp (key file header, version 2, field ids). Fixtures made by git-crypt
 * (fixtures/git-crypt/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, plain, u32be } from './util.js';

const FILE_MAGIC = '\0GITCRYPT\0';
const KEY_MAGIC = '\0GITCRYPTKEY';
const NONCE_BYTES = 12;

export const gitCryptDetector = defineDetector({
  meta: {
    id: 'git-crypt',
    version: '1.0.0',
    title: 'git-crypt encrypted files and key files',
    formats: [
      { id: 'git-crypt-file', name: 'git-crypt encrypted file', status: 'encrypted', how: 'signature' },
      { id: 'git-crypt-key', name: 'git-crypt key file (key in clear)', status: 'opaque', how: 'header-field' },
    ],
    indexPatterns: ['**/.git/git-crypt/keys/*', '**/.git-crypt/keys/**/*.gpg'],
  },
  signatures: [{ offset: 0, hex: '004749544352595054' }],
  minSize: FILE_MAGIC.length,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (ascii(h.subarray(0, KEY_MAGIC.length)) === KEY_MAGIC) {
      const version = u32be(h, KEY_MAGIC.length) ?? 0;
      if (version < 1 || version > 2 || probe.size < KEY_MAGIC.length + 4 + 32) return undefined;
      return plain('opaque', {
        id: 'git-crypt-key',
        name: 'git-crypt key file (key in clear)',
        confidence: 0.95,
        code: 'GIT_CRYPT_KEY_FILE',
        message: `git-crypt key file: "\\0GITCRYPTKEY" and format version ${version}; it holds the repository's AES and HMAC keys in clear (key material, not encrypted).`,
        figures: { version },
      });
    }
    if (ascii(h.subarray(0, FILE_MAGIC.length)) !== FILE_MAGIC || probe.size < FILE_MAGIC.length + NONCE_BYTES + 1)
      return undefined;
    return locked({
      id: 'git-crypt-file',
      name: 'git-crypt encrypted file',
      confidence: 0.95,
      code: 'GIT_CRYPT_HEADER',
      message: `git-crypt encrypted file: "\\0GITCRYPT\\0", a ${NONCE_BYTES}-byte nonce and ${probe.size - FILE_MAGIC.length - NONCE_BYTES} bytes of AES-256-CTR ciphertext.`,
      figures: { ciphertextBytes: probe.size - FILE_MAGIC.length - NONCE_BYTES },
      scheme: 'git-crypt-aes256-ctr',
      keyHint: {
        description:
          "The repository's git-crypt key: the key file .git/git-crypt/keys/default of an unlocked clone, one exported with `git-crypt export-key`, or a copy in .git-crypt/keys/default/0/<fingerprint>.gpg encrypted to a collaborator's OpenPGP key.",
        kind: 'key-file',
        present: 'unknown',
        lookFor: ['**/.git/git-crypt/keys/*', '**/.git-crypt/keys/**/*.gpg'],
      },
    });
  },
});
