/**
 * OpenPGP data, binary and ASCII-armored: encrypted messages (public-key or
 * passphrase session keys), secret keys protected by a passphrase, and the
 * look-alikes that are not encrypted (signed or literal messages, public keys,
 * unprotected secret keys). The first packet decides, but for a key: all its key packets do (a public
 * primary key or one in clear followed by a protected secret subkey is encrypted).
 * Reference: RFC 9580 §4.2 (packet headers), §5.1 (PKESK), §5.3 (SKESK),
 * §5.5.3 (secret-key S2K usage), §6 (armor).
 */
import zlib from 'node:zlib';
import { defineDetector, type Detection, type Probe, type KeyHint } from '@evtriage/core/contract';
import { ascii, dearmor, locked, plain, notingZeroPadding, textInfo } from './util.js';
import { trialInflate } from './trial-decode.js';

const KEYRING_GLOBS = ['**/.gnupg/private-keys-v1.d/*.key', '**/.gnupg/secring.gpg', '**/*.asc', '**/*.gpg'];

interface Packet {
  tag: number;
  body: Uint8Array;
  /** Declared body length (may exceed the bytes at hand). */
  length: number;
  /** Bytes of the packet header. */
  headerLength: number;
  /** False for a partial or indeterminate body length (the packet's end is not in its header). */
  definite: boolean;
}

function firstPacket(b: Uint8Array): Packet | undefined {
  const h = b[0];
  if (h === undefined || (h & 0x80) === 0) return undefined;
  let tag: number;
  let length: number;
  let at: number;
  let definite = true;
  if (h & 0x40) {
    tag = h & 0x3f;
    const l0 = b[1];
    if (l0 === undefined) return undefined;
    if (l0 < 192) [length, at] = [l0, 2];
    else if (l0 < 224) [length, at] = [((l0 - 192) << 8) + (b[2] ?? 0) + 192, 3];
    else if (l0 === 255) [length, at] = [((b[2]! << 24) >>> 0) + (b[3]! << 16) + (b[4]! << 8) + b[5]!, 6];
    else [length, at, definite] = [1 << (l0 & 0x1f), 2, false]; // partial body length
  } else {
    tag = (h >> 2) & 0x0f;
    const lt = h & 3;
    if (lt === 0) [length, at] = [b[1] ?? 0, 2];
    else if (lt === 1) [length, at] = [((b[1] ?? 0) << 8) + (b[2] ?? 0), 3];
    else if (lt === 2) [length, at] = [((b[1]! << 24) >>> 0) + (b[2]! << 16) + (b[3]! << 8) + b[4]!, 5];
    else [length, at, definite] = [b.length - 1, 1, false]; // indeterminate
  }
  return { tag, length, body: b.subarray(at, at + length), headerLength: at, definite };
}

const CIPHERS: Record<number, string> = {
  1: 'IDEA',
  2: '3DES',
  3: 'CAST5',
  4: 'Blowfish',
  7: 'AES-128',
  8: 'AES-192',
  9: 'AES-256',
  10: 'Twofish',
  11: 'Camellia-128',
  12: 'Camellia-192',
  13: 'Camellia-256',
};
const PK_ALGOS: Record<number, string> = {
  1: 'RSA',
  2: 'RSA',
  3: 'RSA',
  16: 'Elgamal',
  17: 'DSA',
  18: 'ECDH',
  19: 'ECDSA',
  22: 'EdDSA',
  25: 'X25519',
  26: 'X448',
  27: 'Ed25519',
  28: 'Ed448',
};

/**
 * Where a multiprecision integer (RFC 9580 §3.2: a bit count, then the number's bytes) ends. `strict`: also
 * undefined when the number's first byte disagrees with the count (its highest set bit is bit
 * ((count - 1) mod 8): leading zero bits are not counted), as in RNP's keys whose count was raised by one.
 */
function mpiEnd(b: Uint8Array, at: number, strict = false): number | undefined {
  if (at + 2 > b.length) return undefined;
  const bits = ((b[at]! << 8) | b[at + 1]!) >>> 0;
  if (strict && bits > 0 && 32 - Math.clz32(b[at + 2] ?? 0) !== ((bits - 1) % 8) + 1) return undefined;
  return at + 2 + Math.ceil(bits / 8);
}

/**
 * Where a key packet's public key material ends (versions 2-4: walked field by field; 5 and 6: the declared
 * material length), or undefined when the fields do not read. A public key packet ends there exactly; a secret
 * key packet's S2K usage octet is there.
 */
function publicMaterialEnd(body: Uint8Array, strict = false): number | undefined {
  // PGP 2.x keys (versions 2 and 3): RSA only, a 2-byte validity period before the algorithm (RFC 4880 §5.5.2).
  if (body[0] === 2 || body[0] === 3) {
    if (body[7]! < 1 || body[7]! > 3) return undefined;
    const n = mpiEnd(body, 8, strict);
    return n === undefined ? undefined : mpiEnd(body, n, strict);
  }
  // Versions 5 and 6 give the material's length after the algorithm (RFC 9580 §5.5.2.3).
  if (body[0] === 5 || body[0] === 6) {
    if (body.length < 10) return undefined;
    return 10 + (((body[6]! << 24) >>> 0) + (body[7]! << 16) + (body[8]! << 8) + body[9]!);
  }
  if (body[0] !== 4) return undefined;
  const algo = body[5]!;
  let at: number | undefined = 6;
  const mpis = (n: number) => {
    for (let i = 0; i < n && at !== undefined; i++) at = mpiEnd(body, at, strict);
  };
  const oid = () => {
    if (at !== undefined) at = at + 1 + (body[at] ?? 0);
  };
  if (algo <= 3) mpis(2);
  else if (algo === 16) mpis(3);
  else if (algo === 17) mpis(4);
  else if (algo === 19 || algo === 22) {
    oid();
    mpis(1);
  } else if (algo === 18) {
    oid();
    mpis(1);
    if (at !== undefined) at = at + 1 + (body[at] ?? 0);
  } else if (algo === 25) at += 32;
  else if (algo === 26) at += 56;
  else if (algo === 27) at += 32;
  else if (algo === 28) at += 57;
  else return undefined;
  return at;
}

/**
 * Offset of the S2K usage octet of a secret-key packet body (version 4, or PGP 2.x versions 2 and 3), or
 * undefined. The public numbers are walked strictly: when one's bit count disagrees with its first byte (RNP's
 * rsa-priv-16385bits.pgp claims a 16385-bit modulus over 2,048 bytes), the walk would land a byte off, inside
 * the secret numbers, and read a cipher number there. Then a key in clear is found from its own end instead
 * (`whole`: the packet is at hand entire); a version 4 key that is not, is not read (PGP 2.x keys: as walked).
 */
function s2kUsageOffset(body: Uint8Array, whole: boolean): number | undefined {
  if (body[0] !== 2 && body[0] !== 3 && body[0] !== 4) return undefined;
  const strict = publicMaterialEnd(body, true);
  if (strict !== undefined && strict < body.length) return strict;
  const clear = whole ? clearSecretOffset(body) : undefined;
  if (clear !== undefined || body[0] === 4) return clear;
  const at = publicMaterialEnd(body);
  return at !== undefined && at < body.length ? at : undefined;
}

/** How many numbers (MPIs) hold a key's secret, by algorithm, and the fixed sizes of native secrets (RFC 9580 §5.5.5). */
const SECRET_MPIS: Record<number, number> = { 1: 4, 2: 4, 3: 4, 16: 1, 17: 1, 18: 1, 19: 1, 22: 1 };
const SECRET_OCTETS: Record<number, number> = { 25: 32, 26: 56, 27: 32, 28: 57 };

/**
 * The S2K usage octet of a secret key in clear found from the packet's end (version 4 and PGP 2.x: RFC 9580
 * §5.5.3): a 0 after which the algorithm's secret numbers end two bytes before the packet does, those two bytes
 * being the sum of the secret numbers' bytes (mod 65536). About one random packet in 65,536 x its length
 * passes, and a protected key (its secret is ciphertext behind an S2K specifier) at the same odds.
 */
function clearSecretOffset(body: Uint8Array): number | undefined {
  const algo = body[body[0]! <= 3 ? 7 : 5]!;
  const mpis = SECRET_MPIS[algo];
  const octets = SECRET_OCTETS[algo];
  if (mpis === undefined && octets === undefined) return undefined;
  const end = body.length - 2;
  for (let u = body[0]! <= 3 ? 10 : 8; u < end; u++) {
    if (body[u] !== 0) continue;
    let at: number | undefined = u + 1;
    if (octets !== undefined) at += octets;
    else for (let i = 0; i < mpis! && at !== undefined && at <= end; i++) at = mpiEnd(body, at);
    if (at !== end) continue;
    let sum = 0;
    for (let i = u + 1; i < end; i++) sum = (sum + body[i]!) & 0xffff;
    if (sum === ((body[end]! << 8) | body[end + 1]!)) return u;
  }
  return undefined;
}

/** A public key packet whose material ends where the packet does (when the packet is at hand whole). */
function publicKeyFits(p: Packet): boolean {
  if (p.body.length < p.length) return true;
  return publicMaterialEnd(p.body) === p.length;
}

/** S2K specifier lengths by type (simple, salted, iterated and salted, Argon2: RFC 9580 §3.7.1). */
const S2K_BYTES: Record<number, number> = { 0: 2, 1: 10, 3: 11, 4: 20 };
/** AEAD modes and their nonce lengths (EAX, OCB, GCM: RFC 9580 §9.6). */
const AEAD_NONCE_BYTES: Record<number, number> = { 1: 16, 2: 15, 3: 12 };

/**
 * The cipher of a version 5 or 6 (AEAD) symmetric-key session packet, or undefined when its fields do not
 * read. Two layouts are in use: RFC 9580's v6 (and the crypto-refresh drafts' v5, as go-crypto writes it)
 * counts its fields: version, count, cipher, AEAD mode, S2K length, S2K, nonce, where the count is
 * 3 + S2K length + nonce length; LibrePGP's v5 (GnuPG 2.3+) has version, cipher, AEAD mode, S2K.
 */
function aeadSessionCipher(b: Uint8Array): string | undefined {
  const counted = CIPHERS[b[2]!];
  const nonce = AEAD_NONCE_BYTES[b[3]!];
  if (counted && nonce && S2K_BYTES[b[5]!] === b[4] && b[1] === 3 + b[4]! + nonce) return counted;
  if (b[0] === 5 && CIPHERS[b[1]!] && AEAD_NONCE_BYTES[b[2]!] && S2K_BYTES[b[3]!] !== undefined) return CIPHERS[b[1]!];
  return undefined;
}

const SESSION_HINT: KeyHint = {
  description:
    "The recipient's OpenPGP secret key (and its passphrase), or the message passphrase for symmetric encryption.",
  kind: 'key-file',
  present: 'unknown',
  lookFor: ['**/.gnupg/private-keys-v1.d/*.key', '**/.gnupg/secring.gpg'],
};

/**
 * `rest`: the bytes after the packet, where a key's other key packets are (a stub primary key's subkeys, a
 * public primary key's secret subkeys); `restWhole`: they run to the end.
 */
function judge(
  p: Packet,
  armored: boolean,
  armorType: string,
  rest?: Uint8Array,
  restWhole = false,
): Detection | undefined {
  const first = judgeFirst(p, armored, armorType, rest, restWhole);
  // A stub primary key's verdict already counts the packets after it; an unread one stays unread.
  const code = first?.reasons[0]?.code;
  if (![5, 6, 7, 14].includes(p.tag) || !rest || code === 'PGP_SECRET_SUBKEYS_PROTECTED') return first;
  if (code === 'PGP_SECRET_KEY_STUB' || code === 'PGP_SECRET_KEY_UNREAD') return first;
  return first && byAllKeyPackets(first, armored, rest);
}

/** The verdict the first packet alone gives. */
function judgeFirst(
  p: Packet,
  armored: boolean,
  armorType: string,
  rest?: Uint8Array,
  restWhole = false,
): Detection | undefined {
  const wrap = armored ? ' (ASCII-armored)' : '';
  const b = p.body;
  switch (p.tag) {
    case 1: {
      // PKESK v3: version, 8-byte key id, algorithm. v6 (RFC 9580 §5.1.2): version, the length of the next two
      // fields (0 for an anonymous recipient, 21 or 33), the key's version (4 or 6) and fingerprint, algorithm.
      if (b[0] !== 3 && b[0] !== 6) return undefined;
      const recipient = b[0] === 3 ? 8 : b[1]!;
      if (b[0] === 6 && recipient !== 0 && !(recipient === 21 && b[2] === 4) && !(recipient === 33 && b[2] === 6))
        return undefined;
      const algo = PK_ALGOS[b[0] === 3 ? b[9]! : b[2 + recipient]!];
      if (!algo) return undefined;
      const keyId = Buffer.from(b[0] === 3 ? b.subarray(1, 9) : b.subarray(3, 2 + recipient))
        .toString('hex')
        .toUpperCase();
      return locked({
        id: 'pgp-encrypted',
        name: 'OpenPGP encrypted message',
        confidence: armored ? 0.98 : 0.9,
        code: 'PGP_PUBLIC_KEY_SESSION',
        message: `OpenPGP message${wrap} opening with a public-key encrypted session key packet (version ${b[0]}, ${algo}${keyId ? `, key ${b[0] === 3 ? 'id' : 'fingerprint'} ${keyId}` : ''}).`,
        figures: { algorithm: algo, keyId, armored },
        scheme: `openpgp-${algo.toLowerCase()}`,
        keyHint: {
          ...SESSION_HINT,
          description: `The OpenPGP secret key${keyId ? ` with id ${keyId}` : ''} (and its passphrase).`,
        },
      });
    }
    case 3: {
      // SKESK v4: version, cipher, S2K specifier; v5 and v6 (AEAD): see aeadSessionCipher.
      if (b[0] !== 4 && b[0] !== 5 && b[0] !== 6) return undefined;
      const cipher = b[0] === 4 ? CIPHERS[b[1]!] : aeadSessionCipher(b);
      if (!cipher || (b[0] === 4 && ![0, 1, 3, 4].includes(b[2]!))) return undefined;
      return locked({
        id: 'pgp-encrypted',
        name: 'OpenPGP encrypted message',
        confidence: armored ? 0.98 : 0.9,
        code: 'PGP_SYMMETRIC_SESSION',
        message: `OpenPGP message${wrap} opening with a passphrase (symmetric-key) session packet${cipher ? `, cipher ${cipher}` : ''}.`,
        figures: { cipher: cipher ?? 'unknown', armored },
        scheme: `openpgp-symmetric${cipher ? `-${cipher.toLowerCase()}` : ''}`,
        keyHint: {
          description: 'The passphrase the message was encrypted with (gpg -c).',
          kind: 'password',
          present: 'unknown',
        },
      });
    }
    case 9:
    case 18:
    case 20:
      if (!armored && p.tag === 18 && b[0] !== 1 && b[0] !== 2) return undefined;
      // AEAD encrypted data (LibrePGP, the crypto-refresh drafts): version 1, cipher, AEAD mode, chunk size octet.
      if (!armored && p.tag === 20 && (b[0] !== 1 || !CIPHERS[b[1]!] || !AEAD_NONCE_BYTES[b[2]!] || b[3]! > 16))
        return undefined;
      return locked({
        id: 'pgp-encrypted',
        name: 'OpenPGP encrypted message',
        confidence: armored ? 0.95 : 0.75,
        code: 'PGP_ENCRYPTED_DATA',
        message: `OpenPGP${wrap} encrypted data packet (tag ${p.tag}) with no session-key packet before it.`,
        figures: { tag: p.tag, armored },
        scheme: 'openpgp',
        keyHint: SESSION_HINT,
      });
    case 5:
    case 7: {
      let usageAt = s2kUsageOffset(b, b.length === p.length);
      // A usage byte that is neither an S2K marker nor a cipher number was not read where the key puts it.
      if (usageAt !== undefined && b[usageAt]! > 0 && b[usageAt]! < 253 && CIPHERS[b[usageAt]!] === undefined)
        usageAt = undefined;
      if (usageAt === undefined) {
        if (b[0] !== 4 && b[0] !== 5 && b[0] !== 6) return undefined;
        return locked({
          id: 'pgp-key-encrypted',
          name: 'OpenPGP secret key',
          confidence: 0.6,
          code: 'PGP_SECRET_KEY_UNREAD',
          message: `OpenPGP secret key${wrap}, version ${b[0]}; whether it is protected could not be read.`,
          scheme: 'openpgp-s2k',
          keyHint: { description: 'The key passphrase.', kind: 'password', present: 'unknown' },
        });
      }
      const usage = b[usageAt]!;
      const algo = PK_ALGOS[b[b[0]! <= 3 ? 7 : 5]!] ?? 'unknown';
      if (usage === 0) {
        const clear = plain('analysable', {
          id: 'pgp-key',
          name: 'OpenPGP secret key (unprotected)',
          confidence: armored ? 0.97 : 0.9,
          code: 'PGP_SECRET_KEY_UNPROTECTED',
          message: `OpenPGP ${algo} secret key${wrap} with S2K usage 0: the key material is in clear (not encrypted).`,
          figures: { algorithm: algo, s2kUsage: 0 },
        });
        if (publicMaterialEnd(b, true) !== undefined) return clear;
        const reason = {
          code: 'PGP_KEY_NUMBER_BITS_WRONG',
          message: `A public number's bit count disagrees with its first byte (a damaged or deliberately oversized key); the S2K usage octet 0 was found at byte ${usageAt} of the packet, where the secret numbers that follow end two bytes before the packet does and those two bytes are their checksum.`,
          figures: { usageAt },
        };
        return { ...clear, confidence: 0.85, reasons: [...clear.reasons, reason] };
      }
      const stub = gnuStub(b, usageAt);
      if (stub) return stubKey(stub, algo, wrap, rest, restWhole);
      const cipher = usage >= 253 ? CIPHERS[b[usageAt + 1]!] : CIPHERS[usage];
      return locked({
        id: 'pgp-key-encrypted',
        name: 'OpenPGP secret key, passphrase-protected',
        confidence: armored ? 0.98 : 0.92,
        code: 'PGP_SECRET_KEY_PROTECTED',
        message: `OpenPGP ${algo} secret key${wrap} protected with S2K usage ${usage}${cipher ? ` (${cipher})` : ''}: the key material needs the passphrase.`,
        figures: { algorithm: algo, s2kUsage: usage, cipher: cipher ?? 'unknown' },
        scheme: `openpgp-s2k${cipher ? `-${cipher.toLowerCase()}` : ''}`,
        keyHint: { description: 'The passphrase of the OpenPGP secret key.', kind: 'password', present: 'unknown' },
      });
    }
    case 6:
    case 14:
      if (b[0] !== 4 && b[0] !== 5 && b[0] !== 6 && b[0] !== 3 && b[0] !== 2) return undefined;
      if (!armored && !publicKeyFits(p)) return p.tag === 6 && rest ? unreadMaterialKey(p, rest) : undefined;
      return plain('analysable', {
        id: 'pgp-key',
        name: 'OpenPGP public key',
        confidence: armored ? 0.97 : 0.85,
        code: 'PGP_PUBLIC_KEY',
        message: `OpenPGP public key${wrap}, version ${b[0]}.`,
      });
    case 2:
    case 4:
    case 8:
    case 11:
      if (!armored && !validPlainPacket(p)) return undefined;
      return plain('analysable', {
        id: p.tag === 8 || p.tag === 11 ? 'pgp-message' : 'pgp-signed',
        name: p.tag === 8 || p.tag === 11 ? 'OpenPGP message (not encrypted)' : 'OpenPGP signed data',
        confidence: armored ? 0.95 : 0.8,
        code: 'PGP_NOT_ENCRYPTED',
        message: `OpenPGP ${armorType || 'data'}${wrap} whose first packet is ${({ 2: 'a signature', 4: 'a one-pass signature', 8: 'compressed data', 11: 'literal data' } as Record<number, string>)[p.tag]}: signed or plain, not encrypted.`,
        figures: { tag: p.tag },
      });
    default:
      return undefined;
  }
}

/**
 * A public key packet whose key material does not walk to the packet's end (a number's bit count claims more
 * bytes than are there: RNP's "MPI too large" test keys, a damaged export), yet whose declared length lands
 * exactly on the transferable key's next packet (RFC 9580 §10.1): a user ID of text or a well-formed
 * signature. The packet chain holds where random bytes after a tag 6 header would not (the next header at the
 * declared offset, then its body's checks); gpg --list-packets lists it. Public material, not encrypted.
 */
function unreadMaterialKey(p: Packet, rest: Uint8Array): Detection | undefined {
  const next = keyChainResumes(rest);
  if (!next) return undefined;
  const userId = next === 'user-id';
  const algo = PK_ALGOS[p.body[5]!] ?? 'unknown';
  return plain('analysable', {
    id: 'pgp-key',
    name: 'OpenPGP public key',
    confidence: 0.75,
    code: 'PGP_PUBLIC_KEY_MATERIAL_UNREAD',
    message: `OpenPGP version ${p.body[0]} ${algo} public key whose key material does not read to the end of its ${p.length}-byte packet (a number's bit count claims more bytes than the packet holds), followed by a ${userId ? 'user ID' : 'signature'} packet exactly where its length ends: a damaged or deliberately malformed public key, not encrypted.`,
    figures: { algorithm: algo, declared: p.length, next: userId ? 'user-id' : 'signature' },
  });
}

/** Whether `b` opens with a transferable key's next packet, whole: a user ID of text, or a well-formed signature. */
function keyChainResumes(b: Uint8Array): 'user-id' | 'signature' | undefined {
  const next = firstPacket(b);
  if (!next || !next.definite || next.body.length < next.length) return undefined;
  const id = next.tag === 13 && next.length >= 1 && next.length <= 2048 ? textInfo(next.body)?.text : undefined;
  if (id !== undefined && ![...id].some((c) => c.charCodeAt(0) < 0x20)) return 'user-id';
  return next.tag === 2 && validPlainPacket(next) ? 'signature' : undefined;
}

/**
 * A public key packet whose declared length is wrong, but whose key material, walked number by number, runs on
 * exactly to the end of the file or to a whole user ID or signature packet (RNP's rsa-pub-65535bits.pgp: a
 * 65,535-bit count over 8,192 bytes of modulus, 8,205 bytes of packet declared as 269, so that a "literal data"
 * header is read inside the modulus). `b`: the file from the packet's header, whole (`size` bytes). Public
 * numbers, not ciphertext: a random tail ends exactly there about once in its length's worth of tries, behind a
 * header that random bytes pass about 3 times in 10^8 (truncatedPublicKey).
 */
function lengthWrongKey(b: Uint8Array, p: Packet, size: number): Detection | undefined {
  if (b.length < size || p.body[0] !== 4) return undefined;
  const end = publicMaterialEnd(b.subarray(p.headerLength, size));
  if (end === undefined || p.headerLength + end > size) return undefined;
  const next = p.headerLength + end === size ? 'end of file' : keyChainResumes(b.subarray(p.headerLength + end));
  if (!next) return undefined;
  const algo = PK_ALGOS[p.body[5]!] ?? 'unknown';
  const bits = p.body[5]! <= 17 ? (p.body[6]! << 8) | p.body[7]! : undefined;
  return plain('analysable', {
    id: 'pgp-key',
    name: 'OpenPGP public key',
    confidence: 0.75,
    code: 'PGP_PUBLIC_KEY_LENGTH_WRONG',
    message: `OpenPGP version 4 ${algo} public key${bits ? ` (a ${bits}-bit first number)` : ''} whose packet declares ${p.length} bytes while its key material runs ${end} bytes to the ${next === 'end of file' ? 'end of the file' : `${next} packet after it`}: an oversized or damaged public key, not encrypted.`,
    figures: { algorithm: algo, declared: p.length, material: end, next },
  });
}

/**
 * A user ID packet (UTF-8 text, RFC 4880 §5.11) followed by its certification signature: the rest of a
 * transferable key whose primary key packet is missing. Key material, readable, not encrypted.
 */
function userIdLedKey(h: Uint8Array, p: Packet, size: number): Detection | undefined {
  if (p.length < 1 || p.length > 2048 || p.body.length < p.length) return undefined;
  const id = textInfo(p.body)?.text;
  if (!id || [...id].some((c) => c.charCodeAt(0) < 0x20)) return undefined;
  const next = firstPacket(h.subarray(p.body.byteOffset - h.byteOffset + p.length));
  if (!next || next.tag !== 2 || !validPlainPacket(next) || p.length + next.length > size) return undefined;
  return plain('analysable', {
    id: 'pgp-key',
    name: 'OpenPGP key packets (primary key missing)',
    confidence: 0.8,
    code: 'PGP_USER_ID_PACKETS',
    message: `OpenPGP user ID packet ("${id.slice(0, 60)}") followed by its signature packet: the packets of a key or certificate whose primary key packet is not in the file; readable, not encrypted.`,
    figures: { userIdBytes: p.length },
  });
}

/**
 * GnuPG's stub for a secret key that is not in the file (S2K usage 254 or 255, S2K type 101, "GNU", then mode
 * 1 gnu-dummy, the secret removed by --export-secret-subkeys, or 2 divert-to-card, the secret on a smartcard):
 * the mode, or undefined.
 */
function gnuStub(b: Uint8Array, usageAt: number): 'gnu-dummy' | 'divert-to-card' | undefined {
  if ((b[usageAt] !== 254 && b[usageAt] !== 255) || b[usageAt + 2] !== 101) return undefined;
  if (ascii(b, usageAt + 4, usageAt + 7) !== 'GNU') return undefined;
  const mode = b[usageAt + 7];
  return mode === 1 ? 'gnu-dummy' : mode === 2 ? 'divert-to-card' : undefined;
}

/** How the secret key packets in `bytes` are kept (at most 512 packets walked), and the first protected one. */
interface SecretTally {
  protectedKeys: number;
  clear: number;
  stubs: number;
  /** The first protected packet: its number (1 for the first packet of `bytes`), tag, S2K usage and cipher. */
  firstProtected?: { packet: number; tag: number; usage: number; cipher: string | undefined };
  /** The walk reached the end of `bytes` on packet boundaries. */
  walked: boolean;
}

function tallySecrets(bytes: Uint8Array | undefined): SecretTally {
  const out: SecretTally = { protectedKeys: 0, clear: 0, stubs: 0, walked: false };
  let at = 0;
  for (let n = 0; bytes && n < 512 && at < bytes.length; n++) {
    const p = firstPacket(bytes.subarray(at));
    if (!p || !p.definite || p.body.length < p.length) return out;
    // A secret key packet whose usage octet does not read (or reads as no known value) is counted as neither.
    const u = (p.tag === 7 || p.tag === 5) && plausibleKey(p.body) ? s2kUsageOffset(p.body, true) : undefined;
    const usage = u === undefined ? undefined : p.body[u]!;
    if (u === undefined || usage === undefined) {
      at += p.headerLength + p.length;
      continue;
    }
    if (gnuStub(p.body, u)) out.stubs++;
    else if (usage === 0) out.clear++;
    else if (usage >= 253 || CIPHERS[usage] !== undefined) {
      out.protectedKeys++;
      const cipher = usage >= 253 ? CIPHERS[p.body[u + 1]!] : CIPHERS[usage];
      out.firstProtected ??= { packet: n + 1, tag: p.tag, usage, cipher };
    }
    at += p.headerLength + p.length;
  }
  out.walked = bytes !== undefined && at === bytes.length;
  return out;
}

/**
 * A transferable key is judged by all its key packets (RFC 9580 §10.1-10.2: primary key, then subkeys; a
 * keyring holds several keys): a protected secret key packet after a public primary key (RNP's
 * alice-sub-sig-*.pgp) or after one in clear makes the file encrypted, scope partial when some secret key
 * material is in clear; secret subkeys in clear after a public primary key are said.
 */
function byAllKeyPackets(first: Detection, armored: boolean, rest: Uint8Array): Detection {
  const t = tallySecrets(rest);
  const code = first.reasons[0]?.code;
  const figures = { protectedSecretKeys: t.protectedKeys, clearSecretKeys: t.clear, stubSecretKeys: t.stubs };
  if (first.status === 'encrypted') {
    if (t.clear === 0 || !first.encryption) return first;
    const reason = {
      code: 'PGP_SECRET_KEYS_PARTLY_CLEAR',
      message: `${t.clear} other secret key packet(s) after the first hold their key material in clear (S2K usage 0).`,
      figures,
    };
    return { ...first, encryption: { ...first.encryption, scope: 'partial' }, reasons: [...first.reasons, reason] };
  }
  const wrap = armored ? ' (ASCII-armored)' : '';
  if (!t.firstProtected) {
    if (t.clear === 0 || code !== 'PGP_PUBLIC_KEY') return first;
    const reason = {
      code: 'PGP_SECRET_SUBKEYS_CLEAR',
      message: `${t.clear} secret key packet(s) after the public primary key hold their key material in clear (S2K usage 0): secret material, not encrypted.`,
      figures,
    };
    return { ...first, reasons: [...first.reasons, reason] };
  }
  const firstClear = code === 'PGP_SECRET_KEY_UNPROTECTED';
  const clear = t.clear + (firstClear ? 1 : 0);
  const { packet, tag, usage, cipher } = t.firstProtected;
  return locked({
    id: 'pgp-key-encrypted',
    name: 'OpenPGP secret key, passphrase-protected',
    confidence: armored ? 0.97 : 0.92,
    code: 'PGP_SECRET_SUBKEY_PROTECTED',
    message: `OpenPGP key${wrap} whose first key packet is ${firstClear ? 'a secret key in clear' : 'public (its secret is not in the file)'}; ${t.protectedKeys} later secret key packet(s) are passphrase-protected, the first of them packet ${packet + 1} (tag ${tag}, S2K usage ${usage}${cipher ? `, ${cipher}` : ''})${clear ? `; ${clear} secret key packet(s) are in clear` : ''}.`,
    figures,
    scheme: `openpgp-s2k${cipher ? `-${cipher.toLowerCase()}` : ''}`,
    scope: clear > 0 ? 'partial' : 'full',
    keyHint: { description: 'The passphrase of the OpenPGP secret subkeys.', kind: 'password', present: 'unknown' },
  });
}

/**
 * A secret key export whose primary key is a stub: its subkeys decide. `restWhole`: `rest` runs to the end of
 * the data; when it does not and no subkey was seen, the subkeys lie past what was read.
 */
function stubKey(stub: string, algo: string, wrap: string, rest: Uint8Array | undefined, restWhole: boolean) {
  const { protectedKeys, clear, walked } = tallySecrets(rest);
  const where = stub === 'gnu-dummy' ? 'removed (gpg --export-secret-subkeys)' : 'on a smartcard (divert-to-card)';
  const figures = { algorithm: algo, stub, protectedSubkeys: protectedKeys, clearSubkeys: clear };
  if (protectedKeys > 0) {
    return locked({
      id: 'pgp-key-encrypted',
      name: 'OpenPGP secret key, passphrase-protected',
      confidence: 0.92,
      code: 'PGP_SECRET_SUBKEYS_PROTECTED',
      message: `OpenPGP ${algo} secret key${wrap} whose primary secret is ${where} (GnuPG stub); ${protectedKeys} secret subkey(s) after it are passphrase-protected${clear ? `, ${clear} in clear` : ''}.`,
      figures,
      scheme: 'openpgp-s2k',
      scope: clear > 0 ? 'partial' : 'full',
      keyHint: { description: 'The passphrase of the OpenPGP secret subkeys.', kind: 'password', present: 'unknown' },
    });
  }
  if (clear === 0 && !(walked && restWhole)) {
    return locked({
      id: 'pgp-key-encrypted',
      name: 'OpenPGP secret key',
      confidence: 0.6,
      code: 'PGP_SECRET_KEY_UNREAD',
      message: `OpenPGP ${algo} secret key${wrap} whose primary secret is ${where} (GnuPG stub); its subkeys lie past the bytes read, so whether they are protected could not be read.`,
      figures,
      scheme: 'openpgp-s2k',
      keyHint: { description: 'The key passphrase.', kind: 'password', present: 'unknown' },
    });
  }
  return plain('analysable', {
    id: 'pgp-key',
    name: 'OpenPGP secret key (unprotected)',
    confidence: 0.9,
    code: 'PGP_SECRET_KEY_STUB',
    message: `OpenPGP ${algo} secret key${wrap} whose primary secret is ${where} (GnuPG stub)${clear ? `; ${clear} secret subkey(s) in clear` : ''}: nothing in the file is encrypted.`,
    figures,
  });
}

/** A key packet: a creation time between 1985 (PGP 2.x) or 1990 and 2100, and a known algorithm where its version puts it. */
function plausibleKey(b: Uint8Array): boolean {
  if (b.length < 8) return false;
  const created = ((b[1]! << 24) >>> 0) + (b[2]! << 16) + (b[3]! << 8) + b[4]!;
  // PGP 2.x keys (versions 2 and 3) carry a validity period before the algorithm, and were RSA only (RFC 4880 §5.5.2).
  if (b[0] === 2 || b[0] === 3) return created > 473_385_600 && created < 4_102_444_800 && b[7]! >= 1 && b[7]! <= 3;
  if (b[0] !== 4 && b[0] !== 5 && b[0] !== 6) return false;
  return created > 631_152_000 && created < 4_102_444_800 && PK_ALGOS[b[5]!] !== undefined;
}

// Signature types and hash algorithms RFC 9580 defines (§5.2.1, §9.5).
const SIGNATURE_TYPES = new Set([
  0x00, 0x01, 0x02, 0x10, 0x11, 0x12, 0x13, 0x18, 0x19, 0x1f, 0x20, 0x28, 0x30, 0x40, 0x50,
]);
const HASH_ALGOS = new Set([1, 2, 3, 8, 9, 10, 11, 12, 14]);

/**
 * A signature packet's fixed fields hold defined values (RFC 9580 §5.2.2-5.2.3): a version byte and a length
 * alone are passed by one random file in a few thousand.
 */
function plausibleSignature(p: Packet): boolean {
  const b = p.body;
  if (p.length >= 16384 || b.length < 17) return false;
  // Version 3: a hashed length of 5, then type, time, key id, algorithms.
  if (b[0] === 3)
    return b[1] === 5 && SIGNATURE_TYPES.has(b[2]!) && PK_ALGOS[b[15]!] !== undefined && HASH_ALGOS.has(b[16]!);
  if (b[0] !== 4 && b[0] !== 5 && b[0] !== 6) return false;
  if (!SIGNATURE_TYPES.has(b[1]!) || PK_ALGOS[b[2]!] === undefined || !HASH_ALGOS.has(b[3]!)) return false;
  const hashed = b[0] === 4 ? (b[4]! << 8) | b[5]! : ((b[4]! << 24) >>> 0) + (b[5]! << 16) + (b[6]! << 8) + b[7]!;
  return hashed + (b[0] === 4 ? 6 : 8) <= p.length;
}

/** The packet tags a signed or compressed message holds first (RFC 9580 §10.3). */
function startsMessagePacket(b: Uint8Array): boolean {
  const h = b[0];
  if (h === undefined || (h & 0x80) === 0) return false;
  const tag = h & 0x40 ? h & 0x3f : (h >> 2) & 0x0f;
  return tag === 2 || tag === 4 || tag === 8 || tag === 11;
}

function validPlainPacket(p: Packet): boolean {
  const b = p.body;
  if (p.tag === 2) return plausibleSignature(p);
  if (p.tag === 4)
    return (
      b[0] === 3 &&
      SIGNATURE_TYPES.has(b[1]!) &&
      HASH_ALGOS.has(b[2]!) &&
      PK_ALGOS[b[3]!] !== undefined &&
      (b[12] === 0 || b[12] === 1)
    );
  if (p.tag === 8) return compressedBodyDecodes(b);
  return plausibleLiteral(p);
}

/** What the first 512 bytes of a raw DEFLATE or zlib stream decode to (at most 528 KiB), or undefined. */
function inflatedStart(data: Uint8Array, kind: 'raw' | 'zlib'): Uint8Array | undefined {
  if (!trialInflate(data, kind, false).ok) return undefined;
  const inflate = kind === 'raw' ? zlib.inflateRawSync : zlib.inflateSync;
  try {
    return inflate(data.subarray(0, 512), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  } catch {
    return undefined;
  }
}

/**
 * A compressed data packet (RFC 9580 §5.6): its algorithm's stream must decode to the packets of a message,
 * a one-byte tag proves nothing.
 */
function compressedBodyDecodes(b: Uint8Array): boolean {
  const data = b.subarray(1);
  switch (b[0]) {
    case 0: // uncompressed: the body is packets
      return startsMessagePacket(data);
    case 1:
    case 2: {
      const out = inflatedStart(data, b[0] === 1 ? 'raw' : 'zlib');
      return out !== undefined && startsMessagePacket(out);
    }
    case 3: // "BZh", a level digit, the first block's magic
      return (
        data[0] === 0x42 &&
        data[1] === 0x5a &&
        data[2] === 0x68 &&
        data[3]! >= 0x31 &&
        data[3]! <= 0x39 &&
        data[4] === 0x31 &&
        data[5] === 0x41 &&
        data[6] === 0x59
      );
    default:
      return false;
  }
}

/** A literal data packet (RFC 4880 §5.9): a format byte, then a file name of printable characters and a date that fit the packet. */
function plausibleLiteral(p: Packet): boolean {
  const b = p.body;
  if (b[0] === undefined || !'btum1l'.includes(String.fromCharCode(b[0]))) return false;
  const nameLength = b[1];
  if (nameLength === undefined || 2 + nameLength + 4 > b.length) return false;
  if (p.length < 2 + nameLength + 4) return false;
  for (const c of b.subarray(2, 2 + nameLength)) if (c < 0x20 || c === 0x7f) return false;
  return true;
}

const ARMOR =
  /-----BEGIN PGP (MESSAGE|PRIVATE KEY BLOCK|PUBLIC KEY BLOCK|SIGNATURE|SIGNED MESSAGE|ARMORED FILE)(?:, PART [\d/]+)?-----\r?\n/;

/**
 * What the first ASCII-armored OpenPGP block in `text` holds, judged by its
 * first packet (a clear-signed message by its armor line); undefined when
 * there is none or its body does not decode. Also read by `encrypted-email`
 * for messages that carry the block inline in their body.
 */
export function judgeArmored(text: string): Detection | undefined {
  const first = ARMOR.exec(text);
  const verdict = first ? judgeBlock(text, first) : undefined;
  if (!first || !verdict || verdict.status === 'encrypted') return verdict;
  // Later blocks (a public key and then a message, a keyring export of several keys): one that is encrypted
  // makes the file so, as one encrypted member does an archive (the corpus's rule 1).
  const later = new RegExp(ARMOR.source, 'g');
  later.lastIndex = first.index + first[0].length;
  for (let i = 2, m = later.exec(text); m && i <= 9; i++, m = later.exec(text)) {
    if (m.index > 0 && text[m.index - 1] !== '\n') continue;
    const v = judgeBlock(text, m);
    if (v?.status !== 'encrypted') continue;
    const reason = {
      code: 'PGP_LATER_BLOCK',
      message: `The file's first armored block is ${verdict.format.id}; block ${i}, at character ${m.index}, is encrypted.`,
      figures: { block: i },
    };
    return { ...v, reasons: [...v.reasons, reason] };
  }
  return verdict;
}

/** One armored block, whose armor line `m` matched in `text`. */
function judgeBlock(text: string, m: RegExpExecArray): Detection | undefined {
  const type = m[1]!;
  if (type === 'SIGNED MESSAGE') {
    return plain('analysable', {
      id: 'pgp-signed',
      name: 'OpenPGP signed data',
      confidence: 0.97,
      code: 'PGP_CLEARSIGNED',
      message: 'OpenPGP clear-signed message: the text is readable, only signed.',
    });
  }
  // `gpg --enarmor` wraps any file: its bytes are OpenPGP only if they pass the checks binary packets pass.
  if (type === 'ARMORED FILE') {
    const raw = dearmor(text, m.index + m[0].length);
    return raw ? judgeBinary(raw, raw.length) : undefined;
  }
  const raw = dearmor(text, m.index + m[0].length, 16384);
  if (!raw) return undefined;
  const p = firstPacket(raw);
  const whole = text.indexOf('-----END', m.index) >= 0 && raw.length < 12288;
  return p ? judge(p, true, type.toLowerCase(), raw.subarray(p.headerLength + p.length), whole) : undefined;
}

type ProbeView = { head: Uint8Array; tail: Uint8Array; size: number; complete: boolean };

/**
 * Where an armor line (`line`, a line break then its text) stands after lines of text, when the block may
 * decide the file (below): the byte offset of the line break, else -1. Also read by `gnupg-agent-key` for
 * GnuPG's test keys, "gpg --enarmor" blocks behind a note.
 */
export function armorAfterTextAt(probe: ProbeView, line: Uint8Array): number {
  const h = Buffer.from(probe.head.buffer, probe.head.byteOffset, probe.head.length);
  const at = h.indexOf(line);
  if (at < 0 || at + 1 > probe.size / 2) return -1;
  const last = probe.complete ? probe.head : probe.tail;
  return END_OF_FILE.test(ascii(last, Math.max(0, last.length - 256)).trimEnd()) ? at : -1;
}

/** An armor line at the start of a line after the first, and the END line that closes a file. */
const BEGIN_AFTER_TEXT = Buffer.from('\n-----BEGIN PGP ', 'latin1');
const END_OF_FILE = /-----END PGP [A-Z]+(?: [A-Z]+)*(?:, PART [\d/]+)?-----$/;

/**
 * An armored block after a few lines of text (a note saying what the block is, a key listing, a mail's
 * preface): it counts when it starts a line, is at least half of the file and ends it (nothing but white
 * space after its END line), so that a block quoted in source code (a closing quote or code follows it) or
 * a long text that merely carries one stays text.
 */
function armoredAfterText(probe: ProbeView) {
  const at = armorAfterTextAt(probe, BEGIN_AFTER_TEXT);
  if (at < 0) return armoredInsideText(probe);
  const text = textInfo(probe.head)?.text;
  const from = text?.indexOf('\n-----BEGIN PGP ') ?? -1;
  const verdict = text && from >= 0 ? judgeArmored(text.slice(from + 1)) : undefined;
  if (!verdict) return undefined;
  return {
    ...verdict,
    confidence: Math.min(verdict.confidence, 0.95),
    reasons: [
      ...verdict.reasons,
      {
        code: 'PGP_ARMOR_AFTER_TEXT',
        message: `The armored block starts after ${at + 1} bytes of text and ends the file.`,
        figures: { textBytes: at + 1 },
      },
    ],
  };
}

/** Text after a block's END line that still lets the block speak for the file: a signature, a line of thanks. */
const MAX_TRAILING_TEXT = 512;
const MAX_TRAILING_LINES = 8;
const QUOTE = /["'`]/;

/**
 * An armored block between a few lines of text and a few more (a note before a message and a signature or
 * a word after it, as a mail body or a forum post saved to a file has; openpgp-asciiarmor's `msg1a.asc`):
 * it counts when the whole file is in the head, the block from BEGIN to END is at least half of it, and
 * what follows END is short (at most 8 lines, 512 bytes) and opens no other block, and neither the line
 * before BEGIN nor the one after END holds a quote (source code quoting a block in a string literal). A
 * manual or a tutorial that quotes a message goes on for longer than the block, and stays text; an
 * Autocrypt Setup Message (HTML, the block in a `<pre>`) is taken.
 */
function armoredInsideText(probe: ProbeView) {
  if (!probe.complete) return undefined;
  const text = textInfo(probe.head)?.text;
  const from = text?.indexOf('\n-----BEGIN PGP ') ?? -1;
  if (!text || from < 0) return undefined;
  const endLine = /\n-----END PGP [A-Z]+(?: [A-Z]+)*(?:, PART [\d/]+)?-----[ \t]*(?:\r?\n|$)/.exec(text.slice(from));
  if (!endLine) return undefined;
  const end = from + endLine.index + endLine[0].length;
  const after = text.slice(end).trim();
  if ((end - from) * 2 < text.length || after.length > MAX_TRAILING_TEXT || after.includes('-----BEGIN '))
    return undefined;
  if (after.split('\n').length > MAX_TRAILING_LINES) return undefined;
  // A string literal in source code (`MESSAGE = """`, a closing quote after END) or an attribute-laden tag.
  const before = text.slice(0, from).trimEnd();
  const lineBefore = before.slice(before.lastIndexOf('\n') + 1);
  if (QUOTE.test(lineBefore) || QUOTE.test(after.split('\n')[0]!)) return undefined;
  const verdict = judgeArmored(text.slice(from + 1, end));
  if (!verdict) return undefined;
  return {
    ...verdict,
    confidence: Math.min(verdict.confidence, 0.9),
    reasons: [
      ...verdict.reasons,
      {
        code: 'PGP_ARMOR_INSIDE_TEXT',
        message: `The armored block starts after ${from + 1} bytes of text and is followed by ${after.length} bytes of text; it is ${Math.round(((end - from) * 100) / text.length)}% of the file.`,
        figures: { textBefore: from + 1, textAfter: after.length },
      },
    ],
  };
}

export const openpgpDetector = defineDetector({
  meta: {
    id: 'openpgp',
    version: '1.5.0',
    title: 'OpenPGP messages and keys (binary and armored)',
    formats: [
      {
        id: 'pgp-encrypted',
        name: 'OpenPGP encrypted message',
        status: 'encrypted',
        how: 'header-field',
        // KMyMoney keeps the .kmy name on the documents it encrypts with GPG (to the user's key).
        extensions: ['gpg', 'pgp', 'asc', 'gpg~', 'kmy'],
      },
      {
        id: 'pgp-key-encrypted',
        name: 'OpenPGP secret key, passphrase-protected',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['asc', 'gpg', 'key', 'sec', 'skr', 'privkey', 'pgp'],
      },
      {
        id: 'pgp-key',
        name: 'OpenPGP key (public, or secret in clear)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['asc', 'gpg', 'key', 'pub', 'pkr', 'pgp', 'sec', 'privkey', 'pubkey'],
      },
      {
        id: 'pgp-signed',
        name: 'OpenPGP signed data',
        status: 'analysable',
        how: 'header-field',
        extensions: ['asc', 'sig', 'gpg', 'pgp'],
      },
      {
        id: 'pgp-message',
        name: 'OpenPGP message (not encrypted)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['asc', 'gpg', 'pgp'],
      },
      { id: 'pgp-packet', name: 'OpenPGP packet', status: 'analysable', how: 'structure' },
    ],
    indexPatterns: KEYRING_GLOBS.slice(0, 2),
  },
  minSize: 4, // a trust packet is four bytes, a marker five
  priority: 20,
  detect(probe): Detection | undefined {
    // Text detectors judge text followed by NUL padding on the text alone (textInfo); the answer says so.
    return notingZeroPadding(judgeOpenpgpProbe(probe), textInfo(probe.head));
  },
});

function judgeOpenpgpProbe(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (h[0] === 0x2d || h[0] === 0x20 || h[0] === 0x0a || h[0] === 0x0d || h[0] === 0xef) {
    if (ascii(h, 0, 256).includes('-----BEGIN PGP')) {
      const text = textInfo(h)?.text;
      return text ? judgeArmored(text) : undefined;
    }
  }
  if ((h[0]! & 0x80) === 0 || h[0] === 0xef) return armoredAfterText(probe);
  return judgeBinary(h, probe.size);
}

/**
 * A version 4 public key packet (RFC 9580 §5.5.2) cut by the end of the file: the algorithm is RSA, Elgamal or
 * DSA, and its first number's bit count (512 to 16384 bits) agrees with that number's first byte, whose highest
 * set bit an MPI's count fixes (§3.2). Random bytes pass the bit count 3 times in 100 (openpgp.test.ts); with a
 * tag 6 first byte, version 4, a creation time in range and one of five algorithms, about 3 random files in 10^8.
 * Not ciphertext: public numbers (the SHA-1 collision keys of "SHA-1 is a Shambles" are such 640-byte prefixes).
 */
function truncatedPublicKey(p: Packet, size: number): Detection | undefined {
  const b = p.body;
  if (b[0] !== 4 || ![1, 2, 3, 16, 17].includes(b[5]!) || b.length < 9) return undefined;
  const bits = (b[6]! << 8) | b[7]!;
  if (bits < 512 || bits > 16384 || 32 - Math.clz32(b[8]!) !== ((bits - 1) % 8) + 1) return undefined;
  const held = size - p.headerLength;
  return plain('analysable', {
    id: 'pgp-key',
    name: 'OpenPGP public key',
    confidence: 0.7,
    code: 'PGP_PUBLIC_KEY_TRUNCATED',
    message: `OpenPGP version 4 ${PK_ALGOS[b[5]!] ?? 'unknown'} public key (a ${bits}-bit first number) whose packet declares ${p.length} bytes; the file holds ${held}: a cut public key, not encrypted.`,
    figures: { algorithm: PK_ALGOS[b[5]!] ?? 'unknown', bits, declared: p.length, held },
  });
}

/**
 * A version 4 secret key packet (RFC 9580 §5.5.3) cut by the end of the file: its public numbers read whole and
 * strictly (each bit count agrees with its number's first byte, §3.2), then the S2K usage octet says 254 or 255
 * (protected), a known cipher follows and a known S2K specifier type (§3.7.1). The key's own header says the
 * secret is encrypted; what the cut took is the rest of the ciphertext and the subkeys after it.
 */
function truncatedSecretKey(p: Packet, size: number): Detection | undefined {
  const b = p.body;
  if (b[0] !== 4 || b.length < 12) return undefined;
  const usageAt = publicMaterialEnd(b, true);
  if (usageAt === undefined || usageAt + 3 > b.length) return undefined;
  const usage = b[usageAt]!;
  const cipher = CIPHERS[b[usageAt + 1]!];
  if ((usage !== 254 && usage !== 255) || !cipher || S2K_BYTES[b[usageAt + 2]!] === undefined) return undefined;
  const algo = PK_ALGOS[b[5]!] ?? 'unknown';
  const held = size - p.headerLength;
  return locked({
    id: 'pgp-key-encrypted',
    name: 'OpenPGP secret key, passphrase-protected',
    confidence: 0.85,
    code: 'PGP_SECRET_KEY_PROTECTED_CUT_SHORT',
    message: `OpenPGP version 4 ${algo} secret key packet cut short (it declares ${p.length} bytes; the file holds ${held}): its public numbers are whole and its S2K usage ${usage} with ${cipher} and S2K type ${b[usageAt + 2]} say the secret is passphrase-protected.`,
    figures: { algorithm: algo, s2kUsage: usage, cipher, declared: p.length, held },
    scheme: `openpgp-s2k-${cipher.toLowerCase()}`,
    keyHint: { description: 'The passphrase of the OpenPGP secret key.', kind: 'password', present: 'unknown' },
  });
}

/** Binary OpenPGP data (`bytes` its start, `size` its whole length), judged by its first packet. */
function judgeBinary(h: Uint8Array, size: number): Detection | undefined {
  if ((h[0]! & 0x80) === 0) return undefined;
  const first = firstPacket(h);
  const lone = first && lonePacket(first, size);
  if (lone) return lone;
  // A marker packet ("PGP", RFC 4880 §5.8) that old PGP versions put first says nothing: the packet after it does.
  const skip = first?.tag === 10 && first.length === 3 && ascii(first.body, 0, 3) === 'PGP' ? 5 : 0;
  const p = skip ? firstPacket(h.subarray(skip)) : first;
  if (!p || p.length === 0 || p.body.length === 0) return undefined;
  // A bare subkey or a certificate whose primary key was stripped starts with a subkey or a user ID.
  if (p.tag === 13) return userIdLedKey(h, p, size);
  if (![1, 3, 5, 6, 7, 14, 2, 4, 8, 11, 18, 20].includes(p.tag)) return undefined;
  if ((p.tag === 5 || p.tag === 6 || p.tag === 7 || p.tag === 14) && !plausibleKey(p.body)) return undefined;
  // PGP 2.x (versions 2 and 3) had no subkeys.
  if ((p.tag === 7 || p.tag === 14) && p.body[0]! < 4) return undefined;
  // A binary packet must fit the file (an indeterminate or partial length is allowed for data packets), but for
  // a public key whose first number's header holds: the file is its prefix (a cut copy, or a collision demo).
  if (skip + p.length + 1 > size) {
    if (p.tag === 6) return truncatedPublicKey(p, size - skip);
    return p.tag === 5 ? truncatedSecretKey(p, size - skip) : undefined;
  }
  const verdict = judge(p, false, '', h.subarray(skip + p.headerLength + p.length), h.length >= size);
  return (
    verdict ?? (p.tag === 6 && plausibleKey(p.body) ? lengthWrongKey(h.subarray(skip), p, size - skip) : undefined)
  );
}

/**
 * A file that is exactly one packet of a kind that alone is neither a message nor a key, as test suites and
 * packet dumps keep them (RFC 9580 §5.7 symmetrically encrypted data, §5.8 marker, §5.10 trust, §5.11 user
 * ID, §5.12 user attribute, §5.14 modification detection code): the packet's declared length must end it
 * exactly and its body must read as its kind.
 */
function lonePacket(p: Packet, size: number): Detection | undefined {
  if (!p.definite || p.headerLength + p.length !== size) return undefined;
  const b = p.body;
  const packet = (what: string, confidence: number) =>
    plain('analysable', {
      id: 'pgp-packet',
      name: 'OpenPGP packet',
      confidence,
      code: 'PGP_LONE_PACKET',
      message: `One OpenPGP packet filling the file: ${what}; readable (gpg --list-packets), not encrypted.`,
      figures: { tag: p.tag, length: p.length },
    });
  switch (p.tag) {
    case 9:
      // An IV of a cipher block and two check bytes at least, then ciphertext (never text).
      if (p.length < 10 || textInfo(b)) return undefined;
      return locked({
        id: 'pgp-encrypted',
        name: 'OpenPGP encrypted message',
        confidence: 0.85,
        code: 'PGP_ENCRYPTED_DATA',
        message: `OpenPGP symmetrically encrypted data packet (tag 9, no integrity check) filling the file: ${p.length} bytes of ciphertext whose session key is held elsewhere.`,
        figures: { tag: 9, armored: false },
        scheme: 'openpgp',
        keyHint: SESSION_HINT,
      });
    case 10:
      return p.length === 3 && ascii(b, 0, 3) === 'PGP' ? packet('a marker packet ("PGP")', 0.9) : undefined;
    case 12:
      return p.length <= 2 ? packet('a trust packet (local trust flags)', 0.8) : undefined;
    case 13: {
      const id = printableUtf8(b, p.length);
      return id ? packet(`a user ID packet ("${id.slice(0, 60)}")`, 0.9) : undefined;
    }
    case 17:
      return imageAttribute(b) ? packet('a user attribute packet holding a JPEG photo ID', 0.95) : undefined;
    case 19:
      return p.length === 20
        ? packet('a modification detection code packet (the SHA-1 of a message)', 0.85)
        : undefined;
    default:
      return undefined;
  }
}

/** UTF-8 text with no control character (a user ID), or undefined. */
function printableUtf8(b: Uint8Array, length: number): string | undefined {
  if (b.length === 0 || b.length !== length || length > 2048) return undefined;
  if (b.some((c) => c < 0x20 || c === 0x7f)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return undefined;
  }
}

/** A user attribute's first subpacket is an image (type 1) with a version 1 JPEG header (RFC 9580 §5.12.1). */
function imageAttribute(b: Uint8Array): boolean {
  const l0 = b[0];
  if (l0 === undefined) return false;
  const at = l0 < 192 ? 1 : l0 < 255 ? 2 : 5;
  const h = b.subarray(at);
  return h[0] === 1 && h[1] === 0x10 && h[2] === 0 && h[3] === 1 && h[4] === 1 && h[17] === 0xff && h[18] === 0xd8;
}
