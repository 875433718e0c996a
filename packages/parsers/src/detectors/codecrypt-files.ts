/**
 * codecrypt (`ccr`, post-quantum) files, read for the encryption-cli-files
 * detector. codecrypt serialises with sencode ('s' opens a list, "<n>:"
 * prefixes n bytes). An encrypted message is the list
 * ("CCR-ENCRYPTED-MSG-v2", algorithm, recipient key id, ...); with `-a` it
 * is wrapped as "------ccr begin encrypted <id>------" and base64 lines.
 * The keyring `~/.ccr/secrets` is ("CCR-KEYPAIRS", name, algorithm, private
 * key, ...): a private key locked with a password (`ccr -L`) is a byte
 * string starting "ccr_lock", an unlocked one a clear "CCR-PRIVATE-KEY-"
 * list. A symmetric key file (`ccr -g ... -S`) is ("CCR-SYMKEY", ...), in
 * clear. (codecrypt's serialization.cpp, envelope.cpp, seclock.cpp.)
 */
import type { Detection } from '@evtriage/core/contract';
import { ascii, locked, plain } from './util.js';

export const CCR_ENCRYPTED = 's20:CCR-ENCRYPTED-MSG-v2';
export const CCR_KEYPAIRS = 's12:CCR-KEYPAIRS';
export const CCR_SYMKEY = 's10:CCR-SYMKEY';
export const CCR_ARMOR = '------ccr begin ';
const CCR_SECRETS = '**/.ccr/secrets';

/** A sencode byte string "<n>:" at `at`: [bytes as latin1, next offset], or undefined. */
function sencodeBytes(h: Uint8Array, at: number, max: number): [string, number] | undefined {
  let n = 0;
  let i = at;
  while (i < h.length && i - at < 8 && h[i] !== undefined && h[i]! >= 0x30 && h[i]! <= 0x39)
    n = n * 10 + h[i++]! - 0x30;
  if (i === at || h[i] !== 0x3a || n > max || i + 1 + n > h.length) return undefined;
  return [ascii(h, i + 1, i + 1 + n), i + 1 + n];
}

/** The algorithm and recipient key id that follow "CCR-ENCRYPTED-MSG-v2" at `at`. */
function ccrMessageFields(h: Uint8Array, at: number): { algorithm: string; keyId: string } | undefined {
  const alg = sencodeBytes(h, at, 64);
  const key = alg && sencodeBytes(h, alg[1], 128);
  if (!alg || !key || !/^[A-Z0-9-]{3,64}$/.test(alg[0]) || !/^[0-9a-f]{16,128}$/.test(key[0])) return undefined;
  return { algorithm: alg[0], keyId: key[0] };
}

function ccrMessage(fields: { algorithm: string; keyId: string }, armored: boolean): Detection {
  return locked({
    id: 'codecrypt-message',
    name: 'codecrypt encrypted message',
    confidence: 0.97,
    code: 'CODECRYPT_MESSAGE',
    message:
      `${armored ? 'A "------ccr begin encrypted" armor whose base64 decodes to' : 'Codecrypt serialisation:'} "CCR-ENCRYPTED-MSG-v2", ` +
      `algorithm ${fields.algorithm}, recipient key ${fields.keyId.slice(0, 16)}…: a message encrypted to a codecrypt public key.`,
    figures: { algorithm: fields.algorithm, recipientKey: fields.keyId, armored },
    scheme: `codecrypt-${fields.algorithm.toLowerCase()}`,
    keyHint: {
      description: `The recipient's codecrypt private key ${fields.keyId.slice(0, 16)}… in ~/.ccr/secrets (itself locked with a password when "ccr_lock" seals it).`,
      kind: 'key-file',
      present: 'unknown',
      lookFor: [CCR_SECRETS],
    },
  });
}

/** An armored codecrypt block starting a line in the head: its type and the decoded start of its body. */
function ccrArmor(h: Uint8Array): { type: string; body: Uint8Array } | undefined {
  const text = ascii(h, 0, Math.min(h.length, 4096));
  const m = /(?:^|\n)------ccr begin ([a-z]+) [a-z0-9]+------\n([A-Za-z0-9+/=\n]{16,})/.exec(text);
  if (!m?.[1] || !m[2]) return undefined;
  const b64 = m[2].replace(/\n/g, '');
  return { type: m[1], body: Buffer.from(b64.slice(0, b64.length - (b64.length % 4)), 'base64') };
}

function ccrKeyring(h: Uint8Array, complete: boolean): Detection | undefined {
  const text = ascii(h, 0, h.length);
  const lockedKeys = text.match(/\d:ccr_lock/g)?.length ?? 0;
  const clearKeys = text.match(/\d:s\d+:CCR-PRIVATE-KEY-/g)?.length ?? 0;
  if (lockedKeys + clearKeys === 0) return undefined;
  const counted = `${lockedKeys} locked and ${clearKeys} clear private key${clearKeys === 1 ? '' : 's'}${complete ? '' : ' in the probe'}`;
  if (lockedKeys > 0) {
    return locked({
      id: 'codecrypt-keyring-locked',
      name: 'codecrypt secret keyring (password-locked keys)',
      confidence: 0.97,
      code: 'CODECRYPT_KEYRING',
      message: `"CCR-KEYPAIRS" keyring with ${counted}: the keys sealed by "ccr -L" need the lock password.`,
      figures: { lockedKeys, clearKeys },
      scheme: 'codecrypt-seclock',
      scope: clearKeys > 0 ? 'partial' : 'full',
      keyHint: {
        description: 'The password given to "ccr -L" when the keys were locked (codecrypt asks for it at each use).',
        kind: 'password',
        present: 'unknown',
      },
    });
  }
  return plain('opaque', {
    id: 'codecrypt-keyring',
    name: 'codecrypt secret keyring (keys in clear)',
    confidence: 0.95,
    code: 'CODECRYPT_KEYRING',
    message: `"CCR-KEYPAIRS" keyring with ${counted}: private keys in clear, which decrypt the owner's codecrypt messages.`,
    figures: { lockedKeys, clearKeys },
  });
}

export function detectCodecrypt(h: Uint8Array, complete: boolean): Detection | undefined {
  if (ascii(h, 0, CCR_ENCRYPTED.length) === CCR_ENCRYPTED) {
    const fields = ccrMessageFields(h, CCR_ENCRYPTED.length);
    return fields && ccrMessage(fields, false);
  }
  if (ascii(h, 0, CCR_KEYPAIRS.length) === CCR_KEYPAIRS) return ccrKeyring(h, complete);
  if (ascii(h, 0, CCR_SYMKEY.length) === CCR_SYMKEY) {
    const alg = sencodeBytes(h, CCR_SYMKEY.length + 1, 64);
    if (!alg || !/^[A-Z0-9-]{3,64}$/.test(alg[0])) return undefined;
    return plain('opaque', {
      id: 'codecrypt-symkey',
      name: 'codecrypt symmetric key (key in clear)',
      confidence: 0.95,
      code: 'CODECRYPT_SYMKEY',
      message: `"CCR-SYMKEY" key file, first cipher ${alg[0]}: a symmetric key in clear; "ccr -d -S" decrypts the files made with it.`,
      figures: { cipher: alg[0] },
    });
  }
  if (!ascii(h, 0, Math.min(h.length, 4096)).includes(CCR_ARMOR)) return undefined;
  const armor = ccrArmor(h);
  if (armor?.type === 'encrypted' && ascii(armor.body, 0, CCR_ENCRYPTED.length) === CCR_ENCRYPTED) {
    const fields = ccrMessageFields(armor.body, CCR_ENCRYPTED.length);
    return fields && ccrMessage(fields, true);
  }
  return undefined;
}
