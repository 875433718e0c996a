/**
 * Files of end-user file-encryption apps that name themselves in a clear header:
 * Picocrypt volumes (`.pcv`), hat.sh files and Keybase saltpack messages (binary and armoured).
 * References: Picocrypt Internals.md "Header Format" (every field Reed-Solomon coded N -> 3N with a
 * systematic code, so the first N bytes of each coded field are the field: "v1.48", a 5-digit comment
 * length, the comment one character per 3 bytes, 5 flag bytes of 0/1, then salts, nonce, hashes and
 * tag, 789 + 3C bytes in all); hat.sh src/config/Constants.js (SIGNATURES: "Encrypted Using Hat.sh"
 * for v1, "zDKO6XYXioc" password mode and "hTWKbfoikeg" public-key mode for v2, then the Argon2id salt
 * and the libsodium secretstream header); saltpack.org specification (a MessagePack bin holding the
 * header array ["saltpack", [major, minor], mode, ...]; mode 0 encryption, 1 attached signing,
 * 2 detached signing, 3 signcryption; armour "BEGIN [BRAND ]SALTPACK ENCRYPTED MESSAGE." in base62);
 * Boxcryptor 2+ `.bc` files (Secomba's boxcryptor-single-file-decryptor FileData: "bc01"/"bc02", the
 * JSON core header length, its padding length and the cipher padding length as u32 LE, a 32-byte hash,
 * then the JSON naming the cipher and the file key wrapped for each user or group); Kryptor 3 and
 * earlier (samuel-lucas6/Kryptor Constants.cs: "KRYPTOR", a 2-byte version, the ephemeral public key,
 * salt, XChaCha20 nonce and 72-byte encrypted header, then chunks; private key files are base64 of
 * "Cu"/"Ed", a 2-byte version, salt, nonce and the encrypted key; "SIGNATURE" files are detached
 * signatures). Kryptor 4 dropped the magic: its files are random bytes, left to statistics.
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { ascii, locked, passwordHint, plain, startsWith, u32le } from './util.js';

const KEYBASE_HINT: KeyHint = {
  description:
    "A recipient's saltpack secret key (for Keybase users, a device key kept encrypted under the Keybase passphrase).",
  kind: 'key-file',
  present: 'unknown',
  lookFor: ['**/.config/keybase/**', '**/Keybase/**', '**/.local/share/keybase/**'],
};

export const fileEncryptionAppsDetector = defineDetector({
  meta: {
    id: 'file-encryption-apps',
    version: '1.0.0',
    title: 'Files of end-user encryption apps (Picocrypt, hat.sh, saltpack, Boxcryptor)',
    formats: [
      { id: 'picocrypt', name: 'Picocrypt volume', status: 'encrypted', how: 'header-field', extensions: ['pcv'] },
      { id: 'hat-sh', name: 'hat.sh encrypted file', status: 'encrypted', how: 'signature', extensions: ['enc'] },
      {
        id: 'saltpack-encrypted',
        name: 'saltpack encrypted message',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['saltpack', 'txt'],
      },
      {
        id: 'boxcryptor',
        name: 'Boxcryptor encrypted file',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['bc'],
      },
      { id: 'kryptor', name: 'Kryptor encrypted file', status: 'encrypted', how: 'signature', extensions: ['kryptor'] },
      {
        id: 'kryptor-private-key',
        name: 'Kryptor private key (password-encrypted)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['private'],
      },
      {
        id: 'kryptor-signature',
        name: 'Kryptor signature (not encrypted)',
        status: 'analysable',
        how: 'signature',
        extensions: ['signature'],
      },
      {
        id: 'saltpack-signed',
        name: 'saltpack signed message (not encrypted)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['saltpack', 'txt', 'sig'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'v1.' },
    { offset: 0, ascii: 'PCV\0' },
    { offset: 0, ascii: 'v2.' },
    { offset: 0, ascii: 'zDKO6XYXioc' },
    { offset: 0, ascii: 'hTWKbfoikeg' },
    { offset: 0, ascii: 'Encrypted Using Hat.sh' },
    { offset: 3, hex: 'a873616c747061636b' }, // bin8 type and length, fixarray, then "saltpack"
    { offset: 4, hex: 'a873616c747061636b' }, // bin16
    { offset: 6, hex: 'a873616c747061636b' }, // bin32
    { offset: 0, ascii: 'BEGIN ' },
    { offset: 0, ascii: 'bc0' },
    { offset: 0, ascii: 'KRYPTOR' },
    { offset: 0, ascii: 'SIGNATURE' },
    { offset: 0, ascii: 'Q3UB' }, // base64 of "Cu\x01": a Kryptor encryption private key
    { offset: 0, ascii: 'RWQB' }, // base64 of "Ed\x01": a Kryptor signing private key
  ],
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    return (
      picocrypt(h, probe.size, probe.extension) ??
      hatSh(h, probe.size) ??
      saltpackBinary(h) ??
      saltpackArmoured(h, probe.tail) ??
      boxcryptor(h, probe.size) ??
      kryptor(h, probe.size)
    );
  },
});

const PICO_FLAGS = ['paranoid', 'keyfiles', 'keyfileOrder', 'reedSolomon', 'padded'] as const;

/** Picocrypt: the systematic bytes of the version, comment-length and flag fields, and a file long enough for the header. */
function picocrypt(h: Uint8Array, size: number, extension: string): Detection | undefined {
  // Picocrypt NG's PCV3 (experimental, layout unpublished) routes on the 4-byte discriminator "PCV\0" alone
  // (internal/pcv3/route.go); four bytes are little evidence, so only a .pcv file is taken on them.
  if (startsWith(h, 'PCV\0')) {
    if (extension !== 'pcv' || size < 512) return undefined;
    return locked({
      id: 'picocrypt',
      name: 'Picocrypt volume',
      confidence: 0.85,
      code: 'PICOCRYPT_PCV3',
      message:
        '"PCV\\0" discriminator of a Picocrypt NG PCV3 volume, with the .pcv extension: the contents are encrypted with a key derived (Argon2id) from the password and/or keyfiles.',
      scheme: 'picocrypt-pcv3',
      keyHint: {
        description: 'The Picocrypt password and/or the keyfile(s) chosen at encryption.',
        kind: 'password',
        present: 'unknown',
      },
    });
  }
  const version = ascii(h, 0, 5);
  if (!/^v[12]\.\d\d$/.test(version)) return undefined;
  const lengthText = ascii(h, 15, 20);
  if (!/^\d{5}$/.test(lengthText)) return undefined;
  const commentLength = Number(lengthText);
  const flagsAt = 30 + 3 * commentLength;
  const headerEnd = 789 + 3 * commentLength;
  if (size < headerEnd || flagsAt + 5 > h.length) return undefined;
  const flags = h.subarray(flagsAt, flagsAt + 5);
  if (!flags.every((b) => b === 0 || b === 1)) return undefined;
  const on = PICO_FLAGS.filter((_, i) => flags[i] === 1);
  let comment = '';
  for (let i = 0; i < Math.min(commentLength, 200); i++) comment += String.fromCharCode(h[30 + 3 * i]!);
  const keyfiles = flags[1] === 1;
  return locked({
    id: 'picocrypt',
    name: 'Picocrypt volume',
    confidence: 0.95,
    code: 'PICOCRYPT_HEADER',
    message: `Picocrypt header (Reed-Solomon coded fields): version "${version}", ${commentLength} comment characters${commentLength ? ` ("${comment.replace(/[^\x20-\x7e]/g, '.')}")` : ''}, flags ${on.length ? on.join(', ') : 'none'}; the contents are XChaCha20${flags[0] === 1 ? ' + Serpent' : ''} encrypted with an Argon2id key.`,
    figures: { version, commentLength, flags: on.join(',') },
    ...(commentLength ? { details: { comment } } : {}),
    scheme: flags[0] === 1 ? 'picocrypt-paranoid-xchacha20-serpent' : 'picocrypt-xchacha20',
    keyHint: keyfiles
      ? {
          description: `The Picocrypt password and the keyfile(s) chosen at encryption${flags[2] === 1 ? ', in the same order' : ''}.`,
          kind: 'key-file',
          present: 'unknown',
        }
      : passwordHint('The password given to Picocrypt when the volume was made.'),
  });
}

/** hat.sh: its signature, then the salt and secretstream header (v2) and at least one authenticated chunk. */
function hatSh(h: Uint8Array, size: number): Detection | undefined {
  const modes: [string, 'password' | 'public-key' | 'v1', number][] = [
    ['zDKO6XYXioc', 'password', 11 + 16 + 24 + 17],
    ['hTWKbfoikeg', 'public-key', 11 + 24 + 17],
    ['Encrypted Using Hat.sh', 'v1', 22 + 32],
  ];
  const hit = modes.find(([sig]) => startsWith(h, sig));
  if (!hit || size < hit[2]) return undefined;
  const [sig, mode] = hit;
  return locked({
    id: 'hat-sh',
    name: 'hat.sh encrypted file',
    confidence: 0.95,
    code: 'HATSH_SIGNATURE',
    message: `hat.sh signature "${sig}" (${mode === 'v1' ? 'version 1, AES-GCM' : `version 2, ${mode} mode`}): the file was encrypted in the browser with ${mode === 'v1' ? 'a password-derived AES key' : 'libsodium XChaCha20-Poly1305 secretstream'}.`,
    figures: { mode },
    scheme: mode === 'v1' ? 'hat-sh-v1-aes-gcm' : `hat-sh-v2-${mode}-xchacha20poly1305`,
    keyHint:
      mode === 'public-key'
        ? {
            description:
              "The recipient's hat.sh private key and the sender's public key (base64 key pair from hat.sh).",
            kind: 'key-file',
            present: 'unknown',
          }
        : passwordHint('The password typed into hat.sh (Argon2id-derived key).'),
  });
}

const SALTPACK_MODES = ['encryption', 'attached signing', 'detached signing', 'signcryption'] as const;

/** A saltpack header: a MessagePack bin whose contents are the array ["saltpack", [major, minor], mode, ...]. */
function saltpackBinary(h: Uint8Array): Detection | undefined {
  const lead = h[0];
  const at = lead === 0xc4 ? 2 : lead === 0xc5 ? 3 : lead === 0xc6 ? 5 : -1;
  if (at < 0) return undefined;
  const fields = h[at]! & 0x0f;
  if ((h[at]! & 0xf0) !== 0x90 || fields < 3 || ascii(h, at + 1, at + 10) !== '\xa8saltpack') return undefined;
  // [major, minor] as a 2-element fixarray of positive fixints, then the mode.
  if (h[at + 10] !== 0x92) return undefined;
  const major = h[at + 11]!;
  const minor = h[at + 12]!;
  const mode = h[at + 13]!;
  if (major < 1 || major > 2 || minor > 0x7f || mode > 3) return undefined;
  return saltpackVerdict(`${major}.${minor}`, SALTPACK_MODES[mode]!, 'binary');
}

// As saltpack's own dearmour reads it: words split by any run of spaces, tabs, newlines or '>' (mail quoting).
const ARMOUR_HEAD =
  /^BEGIN[>\s]+(?:([A-Za-z0-9]+)[>\s]+)?SALTPACK[>\s]+(ENCRYPTED[>\s]+MESSAGE|SIGNED[>\s]+MESSAGE|DETACHED[>\s]+SIGNATURE)\.[>\s]/;

/** Armoured saltpack: the BEGIN line, then base62 words (letters and digits) separated by spaces and newlines. */
function saltpackArmoured(h: Uint8Array, tail: Uint8Array): Detection | undefined {
  const text = ascii(h);
  const m = ARMOUR_HEAD.exec(text.slice(0, 200));
  if (!m) return undefined;
  // The body runs to the first '.', where the END line starts: in the head, or (a long message) in the tail.
  const body = text.slice(m[0].length);
  const end = body.indexOf('.');
  const sample = end >= 0 ? body.slice(0, end) : body;
  if (sample.length < 40 || !/^[0-9A-Za-z>\s]+$/.test(sample)) return undefined;
  if (end < 0 && !/END[>\s]+(?:[A-Za-z0-9]+[>\s]+)?SALTPACK[>\s]/.test(ascii(tail))) return undefined;
  const brand = m[1] ?? '';
  const kind = m[2]!.replace(/[>\s]+/g, ' ');
  return saltpackVerdict(
    'armoured',
    kind === 'ENCRYPTED MESSAGE' ? 'encryption' : kind === 'SIGNED MESSAGE' ? 'attached signing' : 'detached signing',
    `armoured${brand ? ` (${brand})` : ''}`,
  );
}

function saltpackVerdict(version: string, mode: (typeof SALTPACK_MODES)[number], form: string): Detection {
  const what = form.startsWith('armoured')
    ? `armoured saltpack "${mode === 'encryption' ? 'ENCRYPTED MESSAGE' : mode === 'attached signing' ? 'SIGNED MESSAGE' : 'DETACHED SIGNATURE'}" header`
    : `saltpack header version ${version}, mode ${mode}`;
  if (mode === 'encryption' || mode === 'signcryption') {
    return locked({
      id: 'saltpack-encrypted',
      name: 'saltpack encrypted message',
      confidence: 0.95,
      code: 'SALTPACK_ENCRYPTED',
      message: `${what}${form.startsWith('armoured') ? form.slice(8) : ` (${form})`}: the payload is NaCl-encrypted for the listed recipients' keys.`,
      figures: { form, mode },
      scheme: `saltpack-${mode}`,
      keyHint: KEYBASE_HINT,
    });
  }
  return plain('analysable', {
    id: 'saltpack-signed',
    name: 'saltpack signed message (not encrypted)',
    confidence: 0.93,
    code: 'SALTPACK_SIGNED',
    message: `${what}${form.startsWith('armoured') ? form.slice(8) : ` (${form})`}: a signature${mode === 'attached signing' ? ' with the message in clear inside' : ''}, not encryption.`,
    figures: { form, mode },
  });
}

/** Boxcryptor: "bc0N", the JSON header's length (and paddings) that fit the file, and that JSON naming a cipher and wrapped file keys. */
function boxcryptor(h: Uint8Array, size: number): Detection | undefined {
  if (!/^bc0\d$/.test(ascii(h, 0, 4))) return undefined;
  const coreLength = u32le(h, 4) ?? 0;
  const padding = u32le(h, 8) ?? 0;
  const cipherPadding = u32le(h, 12) ?? 0;
  if (coreLength < 20 || 48 + coreLength + padding > size || cipherPadding > 4096) return undefined;
  const json = ascii(h, 48, Math.min(h.length, 48 + coreLength));
  if (!json.startsWith('{') || !/"encryptedFileKeys"\s*:\s*\[/.test(json) || !/"cipher"\s*:\s*\{/.test(json))
    return undefined;
  const algorithm = /"algorithm"\s*:\s*"([A-Za-z0-9-]{1,20})"/.exec(json)?.[1] ?? 'unknown';
  const mode = /"mode"\s*:\s*"([A-Za-z0-9-]{1,20})"/.exec(json)?.[1] ?? 'unknown';
  const keySize = /"keySize"\s*:\s*(\d{1,4})/.exec(json)?.[1] ?? '?';
  const keys = (json.match(/"value"\s*:\s*"/g) ?? []).length;
  const version = ascii(h, 0, 4);
  return locked({
    id: 'boxcryptor',
    name: 'Boxcryptor encrypted file',
    confidence: 0.96,
    code: 'BOXCRYPTOR_HEADER',
    message: `Boxcryptor "${version}" header with a ${coreLength}-byte JSON header naming ${algorithm}-${keySize} ${mode} and ${keys} wrapped file key${keys === 1 ? '' : 's'}: the contents need a user's (or group's) Boxcryptor private key.`,
    figures: { version, algorithm, mode, keySize, wrappedKeys: keys },
    scheme: `boxcryptor-${algorithm.toLowerCase()}-${keySize}-${mode.toLowerCase()}`,
    keyHint: {
      description:
        "The Boxcryptor account password, which unlocks the user's RSA private key (in the account data or an exported .bckey file) that unwraps the file key.",
      kind: 'password',
      present: 'unknown',
      lookFor: ['**/*.bckey', '**/Boxcryptor/**'],
    },
  });
}

const KRYPTOR_HINT: KeyHint = {
  description:
    "The Kryptor passphrase, or the recipient's Kryptor private key (encryption.private, itself sealed by a passphrase) and the sender's public key.",
  kind: 'password',
  present: 'unknown',
  lookFor: ['**/.kryptor/encryption.private', '**/*.private', '**/*.key'],
};

/** Kryptor (up to version 3): "KRYPTOR" files, base64 private key files, "SIGNATURE" files. */
function kryptor(h: Uint8Array, size: number): Detection | undefined {
  const version = (at: number) => {
    const le = h[at]! | (h[at + 1]! << 8);
    return le >= 1 && le <= 9 ? le : 0;
  };
  if (startsWith(h, 'KRYPTOR')) {
    const v = version(7);
    if (!v || size < 7 + 2 + 32 + 16 + 24 + 72) return undefined;
    return locked({
      id: 'kryptor',
      name: 'Kryptor encrypted file',
      confidence: 0.95,
      code: 'KRYPTOR_HEADER',
      message: `"KRYPTOR" header, format version ${v}: an ephemeral public key, an Argon2 salt and a nonce in clear, then an encrypted header and XChaCha20-BLAKE2b chunks.`,
      figures: { version: v },
      scheme: 'kryptor-xchacha20-blake2b',
      keyHint: KRYPTOR_HINT,
    });
  }
  if (startsWith(h, 'SIGNATURE')) {
    const v = version(9);
    if (!v || size < 9 + 2 + 64) return undefined;
    return plain('analysable', {
      id: 'kryptor-signature',
      name: 'Kryptor signature (not encrypted)',
      confidence: 0.9,
      code: 'KRYPTOR_SIGNATURE',
      message: `"SIGNATURE" header, version ${v}: a Kryptor Ed25519 signature of another file, not encryption.`,
      figures: { version: v },
    });
  }
  // Private key files: one line of base64 whose bytes are "Cu"/"Ed", version 1, salt, nonce and the sealed key.
  const text = ascii(h, 0, Math.min(h.length, 300)).trim();
  if (!/^(?:Q3UB|RWQB)[A-Za-z0-9+/]{100,250}={0,2}$/.test(text) || h.length > 300) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes[3] !== 0 || bytes.length < 2 + 2 + 16 + 24 + 32) return undefined;
  const signing = bytes[0] === 0x45;
  return locked({
    id: 'kryptor-private-key',
    name: 'Kryptor private key (password-encrypted)',
    confidence: 0.9,
    code: 'KRYPTOR_PRIVATE_KEY',
    message: `Base64 Kryptor ${signing ? 'signing (Ed25519)' : 'encryption (X25519)'} private key, version ${bytes[2]}: an Argon2 salt, a nonce and the key sealed with a key derived from its passphrase (${bytes.length} bytes).`,
    figures: { kind: signing ? 'signing' : 'encryption', bytes: bytes.length },
    scheme: 'kryptor-private-key-argon2id',
    keyHint: passwordHint('The passphrase chosen when the Kryptor key pair was generated.'),
  });
}
