/**
 * MMKV, Tencent's memory-mapped key-value store (WeChat, many Android and iOS
 * apps, and every React Native app using react-native-mmkv: `files/mmkv/`,
 * `Library/mmkv/`). An instance is two files, neither with a magic number:
 *
 * - the data file `<id>`: a 4-byte little-endian actual size, then that many
 *   bytes of body, the file rounded up to whole pages (MMKV maps it). The body
 *   is a varint (the container's length after a full write-back, or the
 *   placeholder 0x00ffffff written before the first append), then key/value
 *   pairs one after the other: the key a string (varint length, UTF-8), the
 *   value data (varint length, bytes; empty deletes the key). In an encrypted
 *   instance the whole body is AES-128-CFB ciphertext (the app's crypt key, at
 *   most 16 bytes); the size header stays clear.
 * - the meta file `<id>.crc`, one page: the CRC-32 of the body, a version
 *   (0-3, 4 with flags), the full write-back sequence, the AES IV (16 bytes,
 *   zero unless the instance is encrypted, version >= 2), the actual size,
 *   the last confirmed size and CRC, then zeros (and flags).
 *
 * So the decision is structural: a page-rounded file whose size header fits
 * and whose body decodes exactly into key/value pairs with UTF-8 keys is plain
 * MMKV; a body that fits but looks uniformly random, in a folder named `mmkv`,
 * is suspected encrypted MMKV, and the `mmkv-meta` parser confirms it from the
 * `.crc` file beside it (CRC-32 over the body, a non-zero IV). The meta file
 * itself is recognised by its name and layout.
 * Reference: Tencent/MMKV Core (MMKV_IO.cpp loadFromFile/checkDataValid,
 * MiniPBCoder.cpp decodeOneMap, MMKVMetaInfo.hpp, aes/AESCrypt.cpp).
 */
import { isUtf8 } from 'node:buffer';
import { defineDetector, type Detection, type KeyHint, type Probe } from '@evtriage/core/contract';
import { randomnessFigures } from '@evtriage/core/helpers';
import { chiSquareUniform } from './statistics-figures.js';
import { locked, plain, u32le, varint } from './util.js';

/** MMKV rounds its files up to the page size (4 KiB on Android, 16 KiB on Apple silicon): both are multiples of this. */
export const MMKV_PAGE = 4096;
/** The placeholder MMKV writes as the container length before its first append. */
const ITEM_SIZE_HOLDER = 0x00ffffff;
/** Longest key taken (MMKV keys are names an app chose). */
const MAX_KEY = 1024;
/** The format of the meta file, and the largest one taken (one page, 16 KiB on Apple silicon; 64 KiB pages exist). */
export const MAX_META = 64 * 1024;
/** Where the meta file's fields end (crc, version, sequence, IV, actual size, last size and CRC, 16 reserved words, 8 flag bytes). */
const META_FIELDS_END = 4 * 3 + 16 + 4 * 3 + 4 * 16 + 8;

export const MMKV_ENCRYPTED = { id: 'mmkv-encrypted', name: 'MMKV key-value store, encrypted (AES-CFB)' } as const;
export const MMKV_SCHEME = 'mmkv-aes-cfb-128';

/** What unlocks an encrypted MMKV instance. */
export function mmkvKeyHint(): KeyHint {
  return {
    description:
      "The app's MMKV crypt key (at most 16 bytes; AES-128-CFB with the IV in the .crc meta file). Apps pass it when they open the instance: react-native-mmkv apps in JavaScript (often from the Android Keystore or iOS Keychain), native apps from their own code or key store.",
    kind: 'keystore',
    present: 'unknown',
  };
}

/** Whether bytes are UTF-8 text without control characters (an MMKV key). */
function isKeyText(b: Uint8Array): boolean {
  for (const c of b) if (c < 0x20 || c === 0x7f) return false;
  return isUtf8(b);
}

/** A CRC-32 as MMKV's tools print it: eight hex digits. */
export function crcHex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

export interface MmkvBody {
  /** Pairs read (appends included). */
  pairs: number;
  /** Keys holding a value after the last pair of each key (deleted keys left out). */
  keys: number;
  /** The leading varint was MMKV's first-append placeholder. */
  placeholder: boolean;
  /** The body ended where the size header says (false: the probe ended first). */
  whole: boolean;
}

/**
 * Decodes an MMKV body: the container-length varint, then key/value pairs. With
 * `whole`, the pairs must end exactly at the end of `body`; otherwise `body` is
 * the part the probe holds and the last pair may be cut.
 */
export function decodeMmkvBody(body: Uint8Array, whole: boolean): MmkvBody | undefined {
  const first = varint(body, 0);
  if (!first || first[1] > 5) return undefined;
  const placeholder = first[0] === ITEM_SIZE_HOLDER;
  if (!placeholder && first[0] > body.length - first[1] && whole) return undefined;
  let at = first[1];
  let pairs = 0;
  const live = new Map<string, boolean>();
  while (at < body.length) {
    const k = varint(body, at);
    if (!k) break;
    if (k[0] === 0 || k[0] > MAX_KEY) return undefined;
    if (k[1] + k[0] > body.length) break;
    const key = body.subarray(k[1], k[1] + k[0]);
    if (!isKeyText(key)) return undefined;
    const v = varint(body, k[1] + k[0]);
    if (!v) break;
    if (v[1] + v[0] > body.length) {
      if (whole) return undefined;
      break;
    }
    live.set(Buffer.from(key).toString('utf8'), v[0] > 0);
    pairs++;
    at = v[1] + v[0];
  }
  if (whole ? at !== body.length || pairs < 1 : pairs < 2) return undefined;
  return { pairs, keys: [...live.values()].filter(Boolean).length, placeholder, whole };
}

/** Whether the file sits directly in a folder named `mmkv` (MMKV's default root on Android and iOS). */
export function inMmkvFolder(path: string): boolean {
  return /(?:^|\/)mmkv\/[^/]+$/i.test(path);
}

export interface MmkvMeta {
  crc: number;
  version: number;
  sequence: number;
  iv: Uint8Array;
  ivSet: boolean;
  actualSize: number;
  lastActualSize: number;
  lastCrc: number;
}

/** Reads an MMKV meta (`.crc`) page: undefined unless its fields are MMKV's and the rest is zero. */
export function readMmkvMeta(b: Uint8Array, size = b.length): MmkvMeta | undefined {
  if (size < MMKV_PAGE || size > MAX_META || size % MMKV_PAGE !== 0 || b.length < 128) return undefined;
  const version = u32le(b, 4)!;
  if (version > 5) return undefined;
  for (let i = META_FIELDS_END; i < b.length; i++) if (b[i] !== 0) return undefined;
  // The 16 reserved words are zero in every version MMKV has written.
  for (let i = 40; i < 104; i++) if (b[i] !== 0) return undefined;
  const iv = b.subarray(12, 28);
  const actualSize = u32le(b, 28)!;
  const lastActualSize = u32le(b, 32)!;
  if (actualSize >= 2 ** 31 || lastActualSize >= 2 ** 31) return undefined;
  return {
    crc: u32le(b, 0)!,
    version,
    sequence: u32le(b, 8)!,
    iv,
    ivSet: iv.some((x) => x !== 0),
    actualSize,
    lastActualSize,
    lastCrc: u32le(b, 36)!,
  };
}

/**
 * Whether a meta page holds what MMKV itself writes there, with no name to go on: version 3 (sizes kept in
 * the meta) or 4 (flags), the version every instance is upgraded to on load; a body size, with a CRC-32
 * that is zero exactly when its body is empty (the CRC-32 of no bytes), for the current and the last
 * confirmed state; flag bytes only from version 4.
 */
function isMetaByStructure(m: MmkvMeta, head: Uint8Array): boolean {
  if (m.version !== 3 && m.version !== 4) return false;
  if (m.actualSize === 0 || m.crc === 0) return false;
  if ((m.lastActualSize === 0) !== (m.lastCrc === 0)) return false;
  return m.version === 4 || head.subarray(104, META_FIELDS_END).every((x) => x === 0);
}

function detectMeta(probe: Probe, named: boolean): Detection | undefined {
  const m = readMmkvMeta(probe.head, probe.size);
  if (!m || !probe.complete) return undefined;
  // A page of zeros with a CRC field alone is too little: the sizes or the sequence must say MMKV wrote it.
  if (m.crc === 0 && m.actualSize === 0 && m.sequence === 0) return undefined;
  if (!named && !isMetaByStructure(m, probe.head)) return undefined;
  const encrypted = m.ivSet && m.version >= 2;
  const figures = { version: m.version, sequence: m.sequence, actualSize: m.actualSize, encryptedInstance: encrypted };
  return plain('analysable', {
    id: 'mmkv-meta',
    name: 'MMKV meta file (.crc)',
    confidence: named ? 0.9 : 0.7,
    code: named ? 'MMKV_META' : 'MMKV_META_STRUCTURE',
    message: `An MMKV meta page (version ${m.version}, write-back sequence ${m.sequence}, body CRC-32 ${crcHex(m.crc)}, ${m.actualSize} bytes${named ? '' : `, last confirmed ${m.lastActualSize} bytes with CRC-32 ${crcHex(m.lastCrc)}; the rest of the page zero`}): the checksum and IV of ${named ? 'the data file beside it' : "an MMKV data file (recognised by this layout alone: the name is not MMKV's '<id>.crc', so its data file cannot be paired)"}, ${encrypted ? 'whose non-zero AES IV says the instance is encrypted' : 'a plain instance (no IV)'}.`,
    figures,
    details: figures,
  });
}

function detectDataFile(probe: Probe): Detection | undefined {
  const h = probe.head;
  const actualSize = u32le(h, 0);
  if (actualSize === undefined || actualSize === 0 || actualSize + 4 > probe.size) return undefined;
  const whole = 4 + actualSize <= h.length;
  const body = h.subarray(4, 4 + actualSize);
  const decoded = decodeMmkvBody(body, whole);
  if (decoded) {
    const figures = { actualSize, pairs: decoded.pairs, keys: decoded.keys, whole };
    return plain('analysable', {
      id: 'mmkv',
      name: 'MMKV key-value store',
      confidence: whole ? 0.95 : 0.85,
      code: 'MMKV_PLAIN',
      message: `A page-rounded file (${probe.size} bytes) whose 4-byte size header (${actualSize}) ${whole ? 'ends' : 'fits'} a body of ${decoded.pairs} MMKV key/value pair(s) with UTF-8 keys (${decoded.keys} key(s) holding a value${decoded.placeholder ? ', written by appends behind the first-append placeholder' : ''}${whole ? '' : '; the probe holds the first part'}): a plain MMKV instance, readable.`,
      figures,
      details: { keys: decoded.keys, pairs: decoded.pairs, actualSize },
    });
  }
  if (!inMmkvFolder(probe.logicalPath) || body.length < 64) return undefined;
  const e = randomnessFigures([body.subarray(0, 64 * 1024)]);
  // Random bytes over n samples reach about log2(n) bits/byte for small n (as in monero-wallet).
  if (e.shannon < Math.min(7.5, Math.log2(body.length) - 0.6)) return undefined;
  if (body.length >= 1280 && !chiSquareUniform(e.chiSquareP, e.sampledBytes)) return undefined;
  return {
    ...locked({
      ...MMKV_ENCRYPTED,
      confidence: 0.6,
      code: 'MMKV_RANDOM_BODY',
      message: `A page-rounded file (${probe.size} bytes) in an mmkv folder, whose 4-byte size header (${actualSize}) fits and whose body does not decode as MMKV pairs but looks uniformly random (entropy ${e.shannon}): an encrypted MMKV instance, suspected until its .crc meta file confirms it.`,
      figures: { actualSize, shannon: e.shannon, chiSquareP: e.chiSquareP },
      scheme: MMKV_SCHEME,
      keyHint: mmkvKeyHint(),
    }),
    entropy: e,
    basis: 'path',
  };
}

export const mmkvDetector = defineDetector({
  meta: {
    id: 'mmkv',
    version: '1.0.0',
    title: 'MMKV key-value stores (Tencent; react-native-mmkv)',
    formats: [
      { id: 'mmkv', name: 'MMKV key-value store', status: 'analysable', how: 'structure' },
      { id: MMKV_ENCRYPTED.id, name: MMKV_ENCRYPTED.name, status: 'encrypted', how: 'structure' },
      { id: 'mmkv-meta', name: 'MMKV meta file (.crc)', status: 'analysable', how: 'structure', extensions: ['crc'] },
    ],
    reasons: {
      MMKV_PLAIN:
        'A page-rounded file whose size header ({actualSize} bytes) ends a body of {pairs} MMKV key/value pairs.',
      MMKV_RANDOM_BODY:
        'A page-rounded file in an mmkv folder whose size header fits and whose {actualSize}-byte body looks uniformly random.',
      MMKV_META: 'An MMKV meta page (version {version}).',
      MMKV_META_STRUCTURE:
        'An MMKV meta page (version {version}, {actualSize}-byte body) recognised by its layout, without the .crc name.',
    },
  },
  minSize: 8,
  fallback: true,
  priority: 30,
  detect(probe): Detection | undefined {
    if (probe.size % MMKV_PAGE !== 0) return undefined;
    if (probe.extension === 'crc') return detectMeta(probe, true);
    // A meta page under another name is tried when the bytes are no data file.
    return detectDataFile(probe) ?? detectMeta(probe, false);
  },
});
