/**
 * Telegram Desktop local storage (`tdata`): every file is "TDF$", the app
 * version (u32 LE), the payload and an MD5 of payload + payload length +
 * version + magic. The key file (`key_datas`, older `map0`/`map1`) holds a
 * 32-byte salt and the 288-byte local key encrypted (AES-256-IGE, key and IV
 * from SHA-1 over a message key) with a key derived from the local passcode:
 * PBKDF2-HMAC-SHA512 over SHA-512(salt + passcode + salt), 100,000 rounds from
 * version 2.1.14, one round when no passcode is set (PBKDF2-HMAC-SHA1, 4,000 or
 * 4 rounds before). Without a passcode the local key decrypts with the empty
 * one and its SHA-1 checksum matches: then nothing locks the profile. The other
 * files (chats, media cache, account data) are encrypted with that local key;
 * the settings file (`settingss`) has its own salt and a key derived from it
 * and the empty passcode, so it opens without any secret.
 * The MD5 trailer is the file's end: bytes after it that are clear of it (NULs, or
 * text and line ends) are set aside and named when the MD5 matches at their start
 * (`tdfEnd`, at most 17 places tried).
 * References: telegramdesktop/tdesktop Telegram/SourceFiles/storage/details/
 * storage_file_utilities.cpp (TDF$, MD5 trailer), storage_encryption.cpp and
 * mtproto/mtproto_auth_key.cpp (aesDecryptLocal); JtR run/telegram2john.py.
 */
import { createDecipheriv, createHash, pbkdf2Sync } from 'node:crypto';
import { defineDetector, type Detection, type KeyHint, type Probe } from '@evtriage/core/contract';
import { afterStructureEnd, locked, notingZeroPadding, plain, u32be, u32le } from './util.js';

const SALT = 32;
const ENCRYPTED_KEY = 288;
const STRONG_VERSION = 2001014; // 2.1.14: the SHA-512 passcode hash
const KEY_FILES = ['**/key_data*', '**/D877F783D5D3EF8C/map*', '**/tdata/map*'];

const localKeyHint: KeyHint = {
  description:
    "The profile's local key, in the tdata key file (key_datas, or map0/map1 in old versions), unlocked by the local passcode if one is set.",
  kind: 'key-file',
  present: 'unknown',
  lookFor: KEY_FILES,
};

/** AES-256-IGE decryption (MTProto's mode), block by block over ECB. */
function igeDecrypt(data: Uint8Array, key: Buffer, iv: Buffer): Buffer {
  const ecb = createDecipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  const out = Buffer.alloc(data.length);
  let x = iv.subarray(0, 16);
  let y = iv.subarray(16, 32);
  for (let at = 0; at + 16 <= data.length; at += 16) {
    const c = Buffer.from(data.subarray(at, at + 16));
    const t = Buffer.alloc(16);
    for (let i = 0; i < 16; i++) t[i] = c[i]! ^ y[i]!;
    const d = ecb.update(t);
    for (let i = 0; i < 16; i++) out[at + i] = d[i]! ^ x[i]!;
    x = c;
    y = out.subarray(at, at + 16);
  }
  return out;
}

/** Whether the encrypted local key decrypts with the passcode key `key` (136 bytes): its SHA-1 checksum matches. */
function opensWith(encrypted: Uint8Array, key: Buffer): boolean {
  const msgKey = Buffer.from(encrypted.subarray(0, 16));
  const sha1 = (...parts: Buffer[]) => createHash('sha1').update(Buffer.concat(parts)).digest();
  const a = sha1(msgKey, key.subarray(8, 40));
  const b = sha1(key.subarray(40, 56), msgKey, key.subarray(56, 72));
  const c = sha1(key.subarray(72, 104), msgKey);
  const d = sha1(msgKey, key.subarray(104, 136));
  const aesKey = Buffer.concat([a.subarray(0, 8), b.subarray(8, 20), c.subarray(4, 16)]);
  const aesIv = Buffer.concat([a.subarray(8, 20), b.subarray(0, 8), c.subarray(16, 20), d.subarray(0, 8)]);
  const plainKey = igeDecrypt(encrypted.subarray(16), aesKey, aesIv);
  return createHash('sha1').update(plainKey).digest().subarray(0, 16).equals(msgKey);
}

/** Whether a TDF$ file ending at `end` carries the MD5 of its payload, length, version and magic. */
function md5Matches(h: Uint8Array, end: number): boolean {
  if (end < 8 + 16) return false;
  const data = h.subarray(8, end - 16);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(data.length);
  const sum = createHash('md5').update(data).update(len).update(h.subarray(4, 8)).update('TDF$').digest();
  return sum.equals(h.subarray(end - 16, end));
}

const isClearText = (b: number) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f);

/**
 * Where a TDF$ file held whole in `h` ends: its length when the MD5 trailer matches there; else, when it ends in a
 * run of NULs or of text bytes (slack, a line feed, a log a carve ran into), the first place from the run's start
 * (the MD5's own last bytes may be of the same kind: up to 16 further on) where the trailer matches. Undefined
 * otherwise.
 */
function tdfEnd(h: Uint8Array): number | undefined {
  if (md5Matches(h, h.length)) return h.length;
  const last = h[h.length - 1];
  if (last === undefined) return undefined;
  const same = last === 0 ? (b: number) => b === 0 : isClearText(last) ? isClearText : undefined;
  if (!same) return undefined;
  let start = h.length - 1;
  while (start > 24 && same(h[start - 1]!)) start--;
  for (let end = start; end < h.length && end <= start + 16; end++) if (md5Matches(h, end)) return end;
  return undefined;
}

/** The verdict on a TDF$ file whose bytes (to its MD5 trailer, when held whole) are `h`. */
function readTdf(probe: Probe, h: Uint8Array): Detection | undefined {
  const version = u32le(h, 4) ?? 0;
  if (version < 1000 || version > 99_999_999) return undefined;
  const appVersion = `${Math.floor(version / 1_000_000)}.${Math.floor(version / 1000) % 1000}.${version % 1000}`;
  // A file held whole reached here only with its MD5 trailer matching (tdfEnd).
  const md5 = probe.complete ? 'matches' : 'not checked';
  const payload = h.subarray(8, h.length - 16);
  // Salt (QByteArray: u32 BE length + bytes), then an encrypted QByteArray (message key + whole AES blocks).
  const blobLength = u32be(payload, 4 + SALT) ?? 0;
  const salted =
    probe.complete &&
    u32be(payload, 0) === SALT &&
    blobLength >= 32 &&
    blobLength % 16 === 0 &&
    payload.length >= 8 + SALT + blobLength;
  const figures = { appVersion, md5 };
  if (salted && blobLength !== ENCRYPTED_KEY) {
    const salt = Buffer.from(payload.subarray(4, 4 + SALT));
    // The settings key: legacy derivation from the empty passcode (PBKDF2-HMAC-SHA1, 4 rounds, 256 bytes).
    if (opensWith(payload.subarray(8 + SALT, 8 + SALT + blobLength), pbkdf2Sync('', salt, 4, 256, 'sha1'))) {
      return plain('analysable', {
        id: 'telegram-desktop-settings',
        name: 'Telegram Desktop settings (salted, no secret)',
        confidence: 0.95,
        code: 'TELEGRAM_DESKTOP_SALTED_NO_SECRET',
        message: `Telegram Desktop file ("TDF$", app version ${appVersion}, MD5 ${md5}) whose ${blobLength}-byte record decrypts with a key derived from its own salt and the empty passcode (SHA-1 checksum matches): the settings file, readable without a secret.`,
        figures,
      });
    }
  }
  if (salted && blobLength === ENCRYPTED_KEY) {
    const salt = Buffer.from(payload.subarray(4, 4 + SALT));
    const encrypted = payload.subarray(8 + SALT, 8 + SALT + ENCRYPTED_KEY);
    const strong = version >= STRONG_VERSION || /^key_/.test(probe.name);
    const emptyKey = strong
      ? pbkdf2Sync(createHash('sha512').update(salt).update(salt).digest(), salt, 1, 136, 'sha512')
      : pbkdf2Sync('', salt, 4, 136, 'sha1');
    const kdf = strong ? 'PBKDF2-HMAC-SHA512, 100,000 rounds' : 'PBKDF2-HMAC-SHA1, 4,000 rounds';
    if (opensWith(encrypted, emptyKey)) {
      return plain('analysable', {
        id: 'telegram-desktop-key-open',
        name: 'Telegram Desktop local key file (no passcode)',
        confidence: 0.97,
        code: 'TELEGRAM_DESKTOP_NO_PASSCODE',
        message: `Telegram Desktop key file ("TDF$", app version ${appVersion}, MD5 ${md5}): the local key decrypts with the empty passcode (its SHA-1 checksum matches), so no passcode locks this profile's tdata files.`,
        figures: { ...figures, passcode: false },
      });
    }
    return locked({
      id: 'telegram-desktop-key',
      name: 'Telegram Desktop local key file (passcode set)',
      confidence: 0.96,
      code: 'TELEGRAM_DESKTOP_PASSCODE',
      message: `Telegram Desktop key file ("TDF$", app version ${appVersion}, MD5 ${md5}) with a 32-byte salt and a 288-byte encrypted local key that does not open with the empty passcode: a local passcode is set (${kdf}, AES-256-IGE).`,
      figures: { ...figures, passcode: true },
      scheme: strong ? 'telegram-desktop-pbkdf2-sha512' : 'telegram-desktop-pbkdf2-sha1',
      keyHint: { description: 'The Telegram Desktop local passcode.', kind: 'password', present: 'unknown' },
    });
  }
  return locked({
    id: 'telegram-desktop-data',
    name: 'Telegram Desktop encrypted data file',
    confidence: md5 === 'matches' ? 0.95 : 0.85,
    code: 'TELEGRAM_DESKTOP_TDF',
    message: `Telegram Desktop storage file ("TDF$", app version ${appVersion}, MD5 trailer ${md5}): its records are encrypted (AES-256-IGE) with the profile's local key.`,
    figures,
    scheme: 'telegram-desktop-aes-ige',
    keyHint: localKeyHint,
  });
}

export const telegramDesktopDetector = defineDetector({
  meta: {
    id: 'telegram-desktop',
    version: '1.1.0',
    title: 'Telegram Desktop local storage (tdata TDF$ files)',
    formats: [
      {
        id: 'telegram-desktop-key',
        name: 'Telegram Desktop local key file (passcode set)',
        status: 'encrypted',
        how: 'header-field',
      },
      {
        id: 'telegram-desktop-key-open',
        name: 'Telegram Desktop local key file (no passcode)',
        status: 'analysable',
        how: 'header-field',
      },
      {
        id: 'telegram-desktop-data',
        name: 'Telegram Desktop encrypted data file',
        status: 'encrypted',
        how: 'header-field',
      },
      {
        id: 'telegram-desktop-settings',
        name: 'Telegram Desktop settings (salted, no secret)',
        status: 'analysable',
        how: 'header-field',
      },
    ],
    indexPatterns: KEY_FILES,
  },
  signatures: [{ offset: 0, ascii: 'TDF$' }],
  minSize: 8 + 16,
  priority: 20,
  detect(probe): Detection | undefined {
    const end = probe.complete ? tdfEnd(probe.head) : probe.head.length;
    if (end === undefined) return undefined; // not a Telegram file, or damaged
    return notingZeroPadding(
      readTdf(probe, probe.head.subarray(0, end)),
      afterStructureEnd(probe, end),
      'the file up to its MD5 trailer',
    );
  },
});
