/**
 * Hive boxes (`<box>.hive`, Flutter's Hive key-value store, 1.x and 2.x: in
 * `app_flutter/` on Android, `Documents/` or `Library/` on iOS). No magic
 * number: a box is a log of frames, each
 *
 *   uint32 LE frame length (these 4 bytes and the CRC included)
 *   key: 0x00 + uint32 LE (integer key) or 0x01 + uint8 length + ASCII (string key)
 *   value: a type byte and its bytes (absent in a deletion frame)
 *   uint32 LE CRC-32 of everything before it in the frame
 *
 * With `HiveAesCipher` the key stays clear, the value becomes a 16-byte IV and
 * AES-256-CBC/PKCS#7 ciphertext (so 16 + a multiple of 16 bytes), and the CRC
 * is seeded with the CRC-32 of SHA-256(key): without the key it cannot be
 * checked. So the decision is structural: frames whose lengths chain from the
 * first byte to the end of the file, with well-formed keys, are a box; every
 * CRC checking (seed 0) makes it plain and readable; no CRC checking and
 * every value an IV plus whole AES blocks makes it encrypted.
 * Reference: hive 2.2.3 (pub.dev) lib/src/binary/binary_writer_impl.dart
 * (writeFrame, writeKey, writeEncrypted), binary/frame.dart (key and value
 * types), crypto/hive_aes_cipher.dart (IV, key CRC), crypto/crc32.dart.
 */
import zlib from 'node:zlib';
import { defineDetector, type Detection, type KeyHint, type Probe } from '@evtriage/core/contract';
import { locked, plain, u32le } from './util.js';

export interface HiveFrame {
  key: number | string;
  /** Bytes of the value (type byte included); 0 for a deletion frame. */
  valueLength: number;
  /** The CRC-32 checks with seed 0 (a plain box's frame). */
  crcPlain: boolean;
  /** Distinct byte values among the value's first 16 bytes (an encrypted value's random IV has about 15.5). */
  ivDistinct: number;
}

export interface HiveWalk {
  frames: HiveFrame[];
  /** Where the last whole frame ends. */
  end: number;
  /** A frame that runs past the bytes given (the file was cut, or only its head was read). */
  cut: boolean;
}

/** The smallest frame: length, a one-character string key (type, length, character), CRC. */
const MIN_FRAME = 4 + 3 + 4;

/** Walks frames from offset 0; undefined at the first frame that is not well formed. */
export function walkHiveFrames(b: Uint8Array, maxFrames = 4096): HiveWalk | undefined {
  const frames: HiveFrame[] = [];
  let at = 0;
  while (at < b.length && frames.length < maxFrames) {
    const length = u32le(b, at);
    if (length === undefined) return { frames, end: at, cut: true };
    if (length < MIN_FRAME) return undefined;
    const keyType = b[at + 4];
    let keyEnd: number;
    let key: number | string;
    if (keyType === 0) {
      keyEnd = at + 9;
      key = u32le(b, at + 5) ?? -1;
    } else if (keyType === 1) {
      const n = b[at + 5];
      if (n === undefined || n === 0) return undefined;
      keyEnd = at + 6 + n;
      if (keyEnd > b.length) return { frames, end: at, cut: true };
      const raw = b.subarray(at + 6, keyEnd);
      // Hive writes string keys as UTF-8 of at most 255 characters; apps use printable names.
      if (raw.some((c) => c < 0x20 || c === 0x7f)) return undefined;
      key = Buffer.from(raw).toString('utf8');
      if (key.includes('\ufffd')) return undefined;
    } else {
      return undefined;
    }
    if (keyEnd + 4 > at + length) return undefined;
    if (at + length > b.length) return { frames, end: at, cut: true };
    const crc = u32le(b, at + length - 4);
    frames.push({
      key,
      valueLength: at + length - 4 - keyEnd,
      crcPlain: zlib.crc32(b.subarray(at, at + length - 4)) === crc,
      ivDistinct: new Set(b.subarray(keyEnd, Math.min(keyEnd + 16, at + length - 4))).size,
    });
    at += length;
  }
  return { frames, end: at, cut: false };
}

const HIVE_ENCRYPTED = { id: 'hive-encrypted', name: 'Hive box, encrypted (HiveAesCipher)' } as const;

function hiveKeyHint(): KeyHint {
  return {
    description:
      "The box's 32-byte AES key the app passes to Hive.openBox (encryptionCipher: HiveAesCipher). Apps usually generate it (Hive.generateSecureKey) and keep it with flutter_secure_storage: on Android base64 in shared_prefs/FlutterSecureStorage.xml, itself encrypted by a key wrapped in the Android Keystore; on iOS in the Keychain.",
    kind: 'keystore',
    // Not looked for: finding FlutterSecureStorage.xml would not make the key present (it is encrypted there).
    present: 'unknown',
  };
}

function keyNames(frames: readonly HiveFrame[]): string {
  const names = [...new Set(frames.map((f) => f.key).filter((k): k is string => typeof k === 'string'))];
  return names.slice(0, 6).join(', ');
}

export function detectHiveBox(probe: Probe): Detection | undefined {
  const b = probe.complete ? probe.head.subarray(0, probe.size) : probe.head;
  const walk = walkHiveFrames(b);
  if (!walk || walk.frames.length === 0) return undefined;
  const { frames } = walk;
  // The frames must reach the end of the file; or, several of them, the end of the bytes read (the head of a
  // larger box, or a copy cut mid-frame).
  const reachesEnd = probe.complete && walk.end === probe.size && !walk.cut;
  if (!reachesEnd && frames.length < 2) return undefined;
  const deleted = frames.filter((f) => f.valueLength === 0).length;
  const stringKeys = frames.filter((f) => typeof f.key === 'string').length;
  const figures = { frames: frames.length, deleted, stringKeys, whole: reachesEnd, cut: probe.complete && walk.cut };
  const where = reachesEnd
    ? 'to the end of the file'
    : probe.complete
      ? 'until the file stops mid-frame (cut short)'
      : 'through the bytes read';
  const names = keyNames(frames);
  if (frames.every((f) => f.crcPlain)) {
    return plain('analysable', {
      id: 'hive',
      name: 'Hive box (Flutter key-value store)',
      confidence: reachesEnd ? 0.95 : 0.9,
      code: 'HIVE_FRAMES',
      message: `${frames.length} Hive frame(s) chained from the first byte ${where}, every CRC-32 matching (${deleted} deletion frame(s)${names ? `; keys ${names}` : ''}): a plain Hive box, readable.`,
      figures,
      details: { frames: frames.length, deleted, stringKeys },
    });
  }
  if (frames.some((f) => f.crcPlain)) return undefined;
  // Encrypted: a value is a random 16-byte IV and whole AES blocks; a deletion frame has none. Sixteen random
  // bytes have fewer than 11 distinct values about once in a million; fixed-size records of other formats, with
  // zeros or small numbers at the start of their payload, fail that.
  const aesShaped = frames.every(
    (f) => f.valueLength === 0 || (f.valueLength >= 32 && f.valueLength % 16 === 0 && f.ivDistinct >= 11),
  );
  const valued = frames.length - deleted;
  if (!aesShaped || valued === 0) return undefined;
  // One frame alone is a length that happens to equal the file size and a key byte: want two, or a string key;
  // without the end of the file to reach, three.
  if (!(reachesEnd ? frames.length >= 2 || stringKeys > 0 : frames.length >= 3)) return undefined;
  return locked({
    ...HIVE_ENCRYPTED,
    confidence: reachesEnd && frames.length >= 2 ? 0.9 : 0.8,
    code: 'HIVE_ENCRYPTED_FRAMES',
    message: `${frames.length} Hive frame(s) chained from the first byte ${where} with clear keys${names ? ` (${names})` : ''}, every value a 16-byte IV and whole AES blocks and no CRC-32 matching unseeded (HiveAesCipher seeds it with the key's hash): an encrypted Hive box, AES-256-CBC values.`,
    figures,
    scheme: 'hive-aes-256-cbc',
    scope: 'partial',
    keyHint: hiveKeyHint(),
  });
}

export const hiveBoxDetector = defineDetector({
  meta: {
    id: 'hive-box',
    version: '1.0.0',
    title: 'Hive boxes (Flutter key-value store)',
    formats: [
      {
        id: 'hive',
        name: 'Hive box (Flutter key-value store)',
        status: 'analysable',
        how: 'structure',
        extensions: ['hive'],
      },
      { ...HIVE_ENCRYPTED, status: 'encrypted', how: 'structure', extensions: ['hive'] },
    ],
    reasons: {
      HIVE_FRAMES: '{frames} Hive frames chained from the first byte, every CRC-32 matching.',
      HIVE_ENCRYPTED_FRAMES: '{frames} Hive frames chained from the first byte, values an IV and whole AES blocks.',
    },
  },
  minSize: MIN_FRAME,
  fallback: true,
  priority: 30,
  detect: detectHiveBox,
});
