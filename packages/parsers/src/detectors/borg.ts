/**
 * BorgBackup (1.x) repositories and key files:
 *
 * - segment files (`data/<n>/<n>`): "BORG_SEG", then entries of u32 CRC32,
 *   u32 size (header included), u8 tag (0 PUT, 1 DELETE, 2 COMMIT); a PUT has
 *   a 32-byte object id and the object, whose first byte is the key type:
 *   0x00 key file, 0x01 passphrase, 0x03 repokey (AES-256-CTR + HMAC-SHA256),
 *   0x04 key file, 0x05 repokey (AES-256-CTR + BLAKE2b) — encrypted; 0x02 none,
 *   0x06 and 0x07 authenticated only — not encrypted.
 * - key files (`~/.config/borg/keys/<repo>`, `borg key export`): "BORG_KEY ",
 *   the repository id in hex, then the key as base64 msgpack, encrypted with a
 *   key derived from the passphrase (PBKDF2-HMAC-SHA256).
 * - a repository's `config` (INI) whose `key =` holds that same encrypted key
 *   (repokey modes): the settings are clear, the key is not.
 * References: borg src/borg/repository.py (MAGIC, LoggedIO header and tags),
 * src/borg/crypto/key.py (key TYPE bytes, FILE_ID "BORG_KEY",
 * encrypt_key_file). Fixtures made by borg (fixtures/borg/generate.sh).
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { ascii, locked, plain, u32le } from './util.js';

const SEGMENT_MAGIC = 'BORG_SEG';
const ENTRY_HEADER_BYTES = 9;
const ID_BYTES = 32;
/** Encrypted key types: name, scheme and where the key lives. */
const ENCRYPTED_TYPES: Record<number, { mode: string; scheme: string }> = {
  0x00: { mode: 'keyfile', scheme: 'borg-aes256-ctr-hmac-sha256' },
  0x01: { mode: 'passphrase', scheme: 'borg-aes256-ctr-hmac-sha256' },
  0x03: { mode: 'repokey', scheme: 'borg-aes256-ctr-hmac-sha256' },
  0x04: { mode: 'keyfile-blake2', scheme: 'borg-aes256-ctr-blake2b' },
  0x05: { mode: 'repokey-blake2', scheme: 'borg-aes256-ctr-blake2b' },
};
const CLEAR_TYPES: Record<number, string> = { 0x02: 'none', 0x06: 'authenticated-blake2', 0x07: 'authenticated' };
const KEY_BLOB = /^hqlhbGdvcml0aG[0-9A-Za-z+/]{20}/;
const KEY_FILE = /^BORG_KEY [0-9a-f]{64}\r?\n(hqlhbGdvcml0aG[0-9A-Za-z+/=\r\n]+)$/;
const CONFIG_KEY = /^\[repository\][\s\S]*?^key = (hqlhbGdvcml0aG[0-9A-Za-z+/=]+)/m;

function passphraseHint(mode: string): KeyHint {
  const where = mode.startsWith('keyfile')
    ? "the key file in the user's ~/.config/borg/keys/ (or one saved with `borg key export`) and its passphrase"
    : mode === 'passphrase'
      ? 'the passphrase alone (legacy passphrase mode)'
      : "the passphrase; the key itself is in the repository's config file, encrypted with it";
  return {
    description: `BorgBackup repository encrypted in ${mode} mode: ${where}.`,
    kind: mode.startsWith('keyfile') ? 'key-file' : 'password',
    present: 'unknown',
    lookFor: ['**/.config/borg/keys/*', '**/config'],
  };
}

function segment(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  if (ascii(h.subarray(0, 8)) !== SEGMENT_MAGIC || probe.size < 8 + ENTRY_HEADER_BYTES) return undefined;
  // Walk the entries the head holds: each must fit the file; the first PUT's key type decides.
  let at = 8;
  let entries = 0;
  while (at + ENTRY_HEADER_BYTES <= Math.min(h.length, probe.size) && entries < 1024) {
    const size = u32le(h, at + 4) ?? 0;
    const tag = h[at + 8]!;
    if (size < ENTRY_HEADER_BYTES || at + size > probe.size || tag > 2) return undefined;
    entries++;
    if (tag === 0) {
      if (size < ENTRY_HEADER_BYTES + ID_BYTES + 1 || at + ENTRY_HEADER_BYTES + ID_BYTES >= h.length) break;
      const type = h[at + ENTRY_HEADER_BYTES + ID_BYTES]!;
      const encrypted = ENCRYPTED_TYPES[type];
      if (encrypted) {
        return locked({
          id: 'borg-segment-encrypted',
          name: 'BorgBackup repository segment (encrypted objects)',
          confidence: 0.95,
          code: 'BORG_SEGMENT_ENCRYPTED',
          message: `BorgBackup segment: "BORG_SEG", ${entries} entr${entries === 1 ? 'y' : 'ies'} that fit the file; the first stored object's key type is 0x${type.toString(16).padStart(2, '0')} (${encrypted.mode}): its objects are encrypted.`,
          figures: { keyType: type, mode: encrypted.mode, entriesChecked: entries },
          scheme: encrypted.scheme,
          keyHint: passphraseHint(encrypted.mode),
        });
      }
      const clear = CLEAR_TYPES[type];
      if (!clear) return undefined;
      return plain('opaque', {
        id: 'borg-segment',
        name: 'BorgBackup repository segment',
        confidence: 0.93,
        code: 'BORG_SEGMENT_CLEAR',
        message: `BorgBackup segment: "BORG_SEG", ${entries} entr${entries === 1 ? 'y' : 'ies'} that fit the file; the first stored object's key type is 0x${type.toString(16).padStart(2, '0')} (${clear}): not encrypted, compressed chunks that borg reads.`,
        figures: { keyType: type, mode: clear, entriesChecked: entries },
      });
    }
    at += size;
  }
  if (entries === 0) return undefined;
  return plain('opaque', {
    id: 'borg-segment',
    name: 'BorgBackup repository segment',
    confidence: 0.9,
    code: 'BORG_SEGMENT_NO_OBJECT',
    message: `BorgBackup segment: "BORG_SEG" and ${entries} DELETE/COMMIT entr${entries === 1 ? 'y' : 'ies'} that fit the file, no stored object to tell whether the repository is encrypted.`,
    figures: { entriesChecked: entries },
  });
}

function keyText(probe: { head: Uint8Array; complete: boolean }): Detection | undefined {
  if (!probe.complete) return undefined;
  const text = ascii(probe.head);
  const file = KEY_FILE.exec(text.trimEnd());
  if (file && KEY_BLOB.test(file[1]!)) {
    return locked({
      id: 'borg-key-file',
      name: 'BorgBackup key file (encrypted key)',
      confidence: 0.95,
      code: 'BORG_KEY_FILE',
      message:
        'BorgBackup key file: "BORG_KEY", the repository id (64 hex digits), then a base64 msgpack key record (algorithm, salt, iterations, data): the repository key, encrypted with the passphrase.',
      scheme: 'borg-key-pbkdf2-sha256',
      keyHint: {
        description: 'The BorgBackup passphrase of the repository this key file belongs to.',
        kind: 'password',
        present: 'unknown',
      },
    });
  }
  const config = CONFIG_KEY.exec(text);
  if (config && /^version = 1$/m.test(text) && /^id = [0-9a-f]{64}$/m.test(text)) {
    return locked({
      id: 'borg-config-key',
      name: 'BorgBackup repository config with its encrypted key (repokey)',
      confidence: 0.9,
      code: 'BORG_CONFIG_KEY',
      message:
        'BorgBackup repository config: [repository], version 1, a 64-hex-digit id and a key = line holding the base64 msgpack key record: the settings are clear, the repository key is encrypted with the passphrase.',
      scheme: 'borg-key-pbkdf2-sha256',
      scope: 'partial',
      keyHint: {
        description: "The repository's BorgBackup passphrase (repokey mode keeps the encrypted key in this file).",
        kind: 'password',
        present: 'unknown',
      },
    });
  }
  return undefined;
}

export const borgDetector = defineDetector({
  meta: {
    id: 'borg',
    version: '1.0.0',
    title: 'BorgBackup repository segments, key files and repository configs',
    formats: [
      {
        id: 'borg-segment-encrypted',
        name: 'BorgBackup repository segment (encrypted objects)',
        status: 'encrypted',
        how: 'header-field',
      },
      { id: 'borg-segment', name: 'BorgBackup repository segment', status: 'opaque', how: 'header-field' },
      { id: 'borg-key-file', name: 'BorgBackup key file (encrypted key)', status: 'encrypted', how: 'structure' },
      {
        id: 'borg-config-key',
        name: 'BorgBackup repository config with its encrypted key (repokey)',
        status: 'encrypted',
        how: 'structure',
      },
    ],
    indexPatterns: ['**/.config/borg/keys/*'],
  },
  signatures: [
    { offset: 0, ascii: SEGMENT_MAGIC },
    { offset: 0, ascii: 'BORG_KEY ' },
    { offset: 0, ascii: '[repository]' },
  ],
  minSize: 8 + ENTRY_HEADER_BYTES,
  priority: 20,
  detect(probe): Detection | undefined {
    return segment(probe) ?? keyText(probe);
  },
});
