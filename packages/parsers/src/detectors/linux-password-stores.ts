/**
 * Password stores of Linux password managers that Debian ships and that no
 * password-recovery list names:
 *
 * - YAPET (`.pet`): "YAPET1.0" or "YAPET2.0", then records, each a u32
 *   big-endian length and that many bytes, to the end of the file. In 2.0 the
 *   first record is clear: the Argon2 parameters as NUL-terminated names with
 *   4-byte big-endian values (A2_S1..S4 salt words, A2_TC time cost, A2_PA
 *   parallelism, A2_MC memory in KiB); every later record is AES-256-CBC, so a
 *   multiple of 16 bytes. In 1.0 every record is Blowfish-CBC, a multiple of 8.
 *   (yapet's yapet10file.hh and yapet20file.hh; what csv2yapet writes.)
 * - Revelation (`.rvl`): "rvl\0", data version 1 or 2, 0x00, three bytes of app
 *   version, three zero bytes; version 2 then holds an 8-byte PBKDF2-SHA1 salt
 *   (12,000 rounds), a 16-byte IV and AES-256-CBC blocks (a SHA-256 of the
 *   padded plaintext first), version 1 an AES-ECB-encrypted IV and AES-CBC
 *   blocks under the password itself (revelation's datahandler/rvl.py).
 * - Gringotts (`.grg`, libgringotts): "GRG", the file version '3', a CRC-32
 *   (MSB-first polynomial, stored little-endian) over everything after it, an
 *   algorithm byte (cipher in bits 4-6, hash bit 3, compression bit 2, level
 *   bits 0-1), the IV (the cipher's block) and the CFB ciphertext
 *   (libgringotts' libgrg_crypt.c). The CRC is verified when the probe holds
 *   the whole file: four magic bytes alone prove little.
 */
import { defineDetector, type Detection, type KeyHint, type Probe } from '@evtriage/core/contract';
import { afterStructureEnd, appendedAfterRecords, ascii, locked, notingZeroPadding, u32be, u32le } from './util.js';

const YAPET_MAGIC = 'YAPET';
const RVL_HEADER_BYTES = 12;
/** The largest clear YAPET 2.0 metadata record we accept: yapet writes seven 10-byte fields. */
const MAX_YAPET_METADATA = 1024;

const passwordHint = (description: string): KeyHint => ({ description, kind: 'password', present: 'unknown' });

/**
 * The record chain after a YAPET magic: each u32 BE length a multiple of `block`, ending at the file's end (or the
 * probe's). The chain has no end marker: where a file held whole stops being records and only NULs or text follow
 * (`appendedAfterRecords`: a copy's byte, slack, a carve into a log), the chain ends there and `end` says where.
 */
function yapetChain(
  probe: Probe,
  from: number,
  block: number,
): { records: number; where: string; end: number } | undefined {
  const { head: h, size, complete } = probe;
  let at = from;
  let records = 0;
  let broke = false;
  while (at + 4 <= h.length) {
    const len = u32be(h, at) ?? 0;
    if (len === 0 || len % block !== 0 || at + 4 + len > size) {
      broke = true;
      break;
    }
    at += 4 + len;
    records++;
  }
  if (records === 0) return undefined;
  if ((broke || complete) && at !== size && !appendedAfterRecords(probe, at)) return undefined;
  const where =
    at === size
      ? 'ending exactly at the end of the file'
      : complete
        ? 'ending where bytes that are no record begin'
        : 'chained to the end of the probe';
  return { records, where, end: at };
}

/** YAPET 2.0's clear metadata: names [A-Z0-9_] ending in NUL, each with a 4-byte BE value, filling the record exactly. */
function yapetMetadata(h: Uint8Array, at: number, len: number): Map<string, number> | undefined {
  const fields = new Map<string, number>();
  const end = at + len;
  while (at < end) {
    let nul = at;
    while (nul < end && nul - at <= 16 && h[nul] !== 0) nul++;
    const name = ascii(h, at, nul);
    if (nul >= end || !/^[A-Z][A-Z0-9_]{0,15}$/.test(name) || nul + 5 > end) return undefined;
    fields.set(name, u32be(h, nul + 1) ?? 0);
    at = nul + 5;
  }
  return fields.size > 0 ? fields : undefined;
}

function detectYapet(probe: Probe): Detection | undefined {
  const h = probe.head;
  const version = ascii(h, 5, 8);
  if (ascii(h, 0, 5) !== YAPET_MAGIC || (version !== '1.0' && version !== '2.0')) return undefined;
  if (version === '1.0') {
    const chain = yapetChain(probe, 8, 8);
    if (!chain) return undefined;
    return notingZeroPadding(
      locked({
        id: 'yapet',
        name: 'YAPET password file',
        confidence: 0.97,
        code: 'YAPET_RECORDS',
        message:
          `"YAPET1.0" and ${chain.records} length-prefixed records, each whole Blowfish blocks, ` +
          `${chain.where}: a YAPET 1.0 file (header and password records Blowfish-CBC).`,
        figures: { fileVersion: '1.0', records: chain.records, cipher: 'blowfish-cbc' },
        scheme: 'yapet-1-blowfish-cbc',
        keyHint: passwordHint(
          'The YAPET master password (YAPET 1.0 hashes it into a 448-bit Blowfish key without a salt; the header record holds a control string that tells a right guess).',
        ),
      }),
      afterStructureEnd(probe, chain.end),
      'the records before them',
    );
  }
  const metaLen = u32be(h, 8) ?? 0;
  if (metaLen === 0 || metaLen > MAX_YAPET_METADATA || 12 + metaLen > h.length) return undefined;
  const meta = yapetMetadata(h, 12, metaLen);
  if (!meta?.has('A2_TC') || !meta.has('A2_MC') || !meta.has('A2_PA')) return undefined;
  const chain = yapetChain(probe, 12 + metaLen, 16);
  if (!chain) return undefined;
  const after = afterStructureEnd(probe, chain.end);
  const [timeCost, memoryKiB, parallelism] = [meta.get('A2_TC') ?? 0, meta.get('A2_MC') ?? 0, meta.get('A2_PA') ?? 0];
  return notingZeroPadding(
    locked({
      id: 'yapet',
      name: 'YAPET password file',
      confidence: 0.98,
      code: 'YAPET_RECORDS',
      message:
        `"YAPET2.0", a clear record of ${meta.size} key-derivation fields (Argon2 time cost ${timeCost}, memory ${memoryKiB} KiB, parallelism ${parallelism}) ` +
        `and ${chain.records} length-prefixed records of whole AES blocks ${chain.where}: ` +
        'a YAPET 2.0 file (header and password records AES-256-CBC).',
      figures: {
        fileVersion: '2.0',
        records: chain.records,
        argon2TimeCost: timeCost,
        argon2MemoryKiB: memoryKiB,
        argon2Parallelism: parallelism,
      },
      scheme: 'yapet-2-argon2-aes256-cbc',
      keyHint: passwordHint(
        'The YAPET master password (Argon2 with the salt and costs in the clear first record; the encrypted header record holds a control string that tells a right guess).',
      ),
    }),
    after,
    'the records before them',
  );
}

function detectRevelation(h: Uint8Array, size: number): Detection | undefined {
  const version = h[4];
  if (ascii(h, 0, 4) !== 'rvl\0' || (version !== 1 && version !== 2) || h[5] !== 0) return undefined;
  if (h[9] !== 0 || h[10] !== 0 || h[11] !== 0) return undefined;
  const app = [h[6] ?? 0, h[7] ?? 0, h[8] ?? 0];
  // Version 2: salt (8) + IV (16) + SHA-256 and at least one block of data; version 1: the encrypted IV (16) + blocks.
  const dataAt = version === 2 ? RVL_HEADER_BYTES + 24 : RVL_HEADER_BYTES + 16;
  const minData = version === 2 ? 48 : 16;
  if (size < dataAt + minData || (size - dataAt) % 16 !== 0) return undefined;
  const appVersion = app.join('.');
  return locked({
    id: 'revelation',
    name: 'Revelation password file',
    confidence: 0.97,
    code: 'REVELATION_HEADER',
    message:
      `"rvl\\0" header, data version ${version}, written by Revelation ${appVersion}; ${size - dataAt} bytes of AES blocks after the ` +
      (version === 2
        ? 'PBKDF2 salt and IV (PBKDF2-HMAC-SHA1, 12,000 rounds, AES-256-CBC).'
        : 'encrypted IV (AES-CBC keyed by the password itself).'),
    figures: { dataVersion: version, appVersion, cipherBytes: size - dataAt },
    scheme: version === 2 ? 'revelation-2-pbkdf2-sha1-aes256-cbc' : 'revelation-1-aes-cbc',
    keyHint: passwordHint(
      version === 2
        ? 'The Revelation file password (PBKDF2-SHA1, 12,000 rounds, 8-byte salt in the header; a SHA-256 of the plaintext tells a right guess).'
        : 'The Revelation file password, padded to 16, 24 or 32 bytes, is the AES key itself (no key derivation).',
    ),
  });
}

/** CRC-32 as mhash's MHASH_CRC32 computes it: polynomial 0x04C11DB7 MSB-first, initial and final XOR 0xFFFFFFFF. */
function crc32Msb(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

const GRG_CIPHERS = ['rijndael-128', 'serpent', 'twofish', 'cast-256', 'saferplus', 'loki97', '3des', 'rijndael-256'];

function detectGringotts(h: Uint8Array, complete: boolean): Detection | undefined {
  const algo = h[8];
  if (ascii(h, 0, 4) !== 'GRG3' || algo === undefined || algo & 0x80) return undefined;
  const cipher = GRG_CIPHERS[(algo >> 4) & 7] ?? 'serpent';
  const block = cipher === '3des' ? 8 : cipher === 'rijndael-256' ? 32 : 16;
  // CRC-32 and length fields (8 bytes) and at least one byte of compressed data follow the IV.
  if (h.length < 9 + block + 9) return undefined;
  const crcChecked = complete && crc32Msb(h.subarray(8)) === u32le(h, 4);
  if (complete && !crcChecked) return undefined;
  const hash = algo & 0x08 ? 'ripemd-160' : 'sha-1';
  const compression = (algo & 0x03) === 0 ? 'none' : algo & 0x04 ? 'bzip2' : 'zlib';
  return locked({
    id: 'gringotts',
    name: 'Gringotts password file (libgringotts)',
    confidence: crcChecked ? 0.98 : 0.8,
    code: 'GRINGOTTS_HEADER',
    message:
      `"GRG" header, libgringotts file version 3, algorithm byte 0x${algo.toString(16).padStart(2, '0')}: ${cipher} in CFB mode, key hashed with ${hash}, compression ${compression}; ` +
      (crcChecked
        ? 'the CRC-32 over the rest of the file matches.'
        : 'CRC-32 not checked (the file is larger than the probe).'),
    figures: { cipher, keyHash: hash, compression, crc: crcChecked ? 'match' : 'not checked' },
    scheme: `gringotts-${cipher}-cfb-${hash}`,
    keyHint: passwordHint(
      `The Gringotts password (hashed with ${hash} into the ${cipher} key, no salt; an inner CRC-32 tells a right guess).`,
    ),
  });
}

export const linuxPasswordStoresDetector = defineDetector({
  meta: {
    id: 'linux-password-stores',
    version: '1.1.0',
    title: 'Linux password managers: YAPET, Revelation, Gringotts',
    formats: [
      { id: 'yapet', name: 'YAPET password file', status: 'encrypted', how: 'header-field', extensions: ['pet'] },
      {
        id: 'revelation',
        name: 'Revelation password file',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['rvl'],
      },
      {
        id: 'gringotts',
        name: 'Gringotts password file (libgringotts)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['grg'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'YAPET' },
    { offset: 0, hex: '72766c00' },
    { offset: 0, ascii: 'GRG3' },
  ],
  minSize: 16,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    switch (h[0]) {
      case 0x59:
        return detectYapet(probe);
      case 0x72:
        return detectRevelation(h, probe.size);
      case 0x47:
        return detectGringotts(h, probe.complete);
      default:
        return undefined;
    }
  },
});
