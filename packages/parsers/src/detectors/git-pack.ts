/**
 * A Git packfile checked by walking its objects, not by its four-byte magic: a pack of
 * already-compressed blobs is as uniformly random after its 12-byte header as ciphertext,
 * so only its structure tells it from a damaged or encrypted file.
 *
 * Layout (git Documentation/gitformat-pack.txt): "PACK", version (u32 BE, 2 or 3), object
 * count (u32 BE); each object a type and inflated size (3 type bits and 4 size bits in the
 * first byte, 7 more size bits in each following byte while the high bit is set), for an
 * OFS_DELTA a base offset (big-endian base-128 with +1 per continuation byte, pointing back
 * into the pack), for a REF_DELTA the base's object id; then a zlib stream that inflates to
 * exactly the stated size. A trailer holds the SHA-1 (or SHA-256) of everything before it.
 *
 * Only the bytes at hand are read (the probe's head): each object wholly inside them is
 * inflated with its output bounded by the stated size, and the walk stops at the first one
 * that runs past them (its start must still inflate, into no more than its size).
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { u32be } from './util.js';

/** Object types in the pack's 3-bit type field (0 and 5 are invalid). */
const TYPE_NAMES: Record<number, string> = {
  1: 'commit',
  2: 'tree',
  3: 'blob',
  4: 'tag',
  6: 'ofs-delta',
  7: 'ref-delta',
};
const OFS_DELTA = 6;
const REF_DELTA = 7;
/** The smallest object: a one-byte header and an empty zlib stream (2 + 2 + 4 bytes). */
const MIN_OBJECT_BYTES = 9;
/** Output of one trial inflate is capped: a 16 KiB head cannot honestly need more to check. */
const MAX_INFLATE = 1 << 20;
/** Objects walked at most: each inflate costs, and a dozen verified objects settle the question. */
const MAX_OBJECTS = 64;

export interface PackWalk {
  version: number;
  objects: number;
  /** Objects inflated whole to their stated size. */
  verified: number;
  /** Objects by type among those read. */
  types: Record<string, number>;
  /** The last object started inside the bytes but ran past them (its start inflated cleanly). */
  partial: boolean;
  /** The whole pack was in hand and its trailing checksum matched (SHA-1 or SHA-256). */
  checksum?: 'sha1' | 'sha256';
}

/** The object's header at `at`: type, inflated size and where its data (or delta base) starts. */
function objectHeader(b: Uint8Array, at: number): { type: number; size: number; next: number } | undefined {
  let byte = b[at];
  if (byte === undefined) return undefined;
  const type = (byte >> 4) & 7;
  let size = byte & 0x0f;
  let shift = 4;
  let i = at + 1;
  while (byte & 0x80) {
    byte = b[i++];
    if (byte === undefined || shift > 49) return undefined;
    size += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  }
  return { type, size, next: i };
}

/** An OFS_DELTA's distance back to its base, and where the zlib stream starts. */
function baseDistance(b: Uint8Array, at: number): { distance: number; next: number } | undefined {
  let byte = b[at];
  if (byte === undefined) return undefined;
  let distance = byte & 0x7f;
  let i = at + 1;
  while (byte & 0x80) {
    byte = b[i++];
    if (byte === undefined || distance > 2 ** 45) return undefined;
    distance = (distance + 1) * 128 + (byte & 0x7f);
  }
  return { distance, next: i };
}

type Inflated = { whole: true; used: number } | { whole: false } | undefined;

/**
 * Inflate the zlib stream at `at` of `b`, expecting `size` bytes out. Whole: the stream ended
 * inside `b` with exactly `size` bytes; partial: `b` ended first with no error and no more than
 * `size` bytes out; undefined: not such a stream.
 */
export function inflateExact(b: Uint8Array, at: number, size: number): Inflated {
  const cmf = b[at];
  const flg = b[at + 1];
  if (cmf === undefined || flg === undefined) return { whole: false };
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || flg & 0x20) return undefined;
  const input = b.subarray(at);
  const cap = Math.min(size + 1, MAX_INFLATE);
  try {
    const r = zlib.inflateSync(input, { info: true, maxOutputLength: cap }) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
    return r.buffer.length === size ? { whole: true, used: r.engine.bytesWritten } : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Bigger than the cap: too much for a stated size under it; for a larger one, fine as far as read.
    if (code === 'ERR_BUFFER_TOO_LARGE') return cap > size ? undefined : { whole: false };
    if (code !== 'Z_BUF_ERROR') return undefined;
  }
  // The bytes ended before the stream did: what they hold must inflate without error.
  try {
    const out = zlib.inflateSync(input, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: cap });
    return out.length <= size ? { whole: false } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Walk the pack that starts at `start` of `b` (a file of `fileSize` bytes from `start`; `b`
 * holds all of it when `complete`). Undefined when the header, an object or the object count
 * says it is not a pack.
 */
export function walkPack(b: Uint8Array, start: number, fileSize: number, complete: boolean): PackWalk | undefined {
  if (b[start] !== 0x50 || b[start + 1] !== 0x41 || b[start + 2] !== 0x43 || b[start + 3] !== 0x4b) return undefined;
  const version = u32be(b, start + 4);
  const objects = u32be(b, start + 8);
  if ((version !== 2 && version !== 3) || objects === undefined) return undefined;
  // Each object takes at least MIN_OBJECT_BYTES, and a 20-byte checksum ends the pack.
  if (12 + objects * MIN_OBJECT_BYTES + 20 > fileSize) return undefined;
  const end = complete ? Math.min(b.length, start + fileSize) : b.length;
  const bytes = b.subarray(0, end);
  const walk: PackWalk = { version, objects, verified: 0, types: {}, partial: false };
  let at = start + 12;
  let index = 0;
  for (; index < objects && index < MAX_OBJECTS; index++) {
    if (at >= end) break;
    const objectStart = at;
    const header = objectHeader(bytes, at);
    if (!header) break; // the header runs past the bytes
    const name = TYPE_NAMES[header.type];
    if (!name) return undefined;
    at = header.next;
    if (header.type === OFS_DELTA) {
      const base = baseDistance(bytes, at);
      if (!base) break;
      if (base.distance < 1 || base.distance > objectStart - start - 12) return undefined;
      at = base.next;
    }
    walk.types[name] = (walk.types[name] ?? 0) + 1;
    let inflated = header.type === REF_DELTA ? undefined : inflateExact(bytes, at, header.size);
    if (header.type === REF_DELTA) {
      // The base's id: 20 bytes (SHA-1), or 32 in a SHA-256 repository.
      for (const idBytes of [20, 32]) {
        inflated = inflateExact(bytes, at + idBytes, header.size);
        if (inflated) {
          at += idBytes;
          break;
        }
      }
    }
    if (!inflated) return undefined;
    if (!inflated.whole) {
      walk.partial = true;
      return walk;
    }
    walk.verified++;
    at += inflated.used;
  }
  if (!complete || index < objects) return walk;
  // The whole pack is here and every object was read: only the checksum may follow.
  const trailer = end - at;
  const algorithm = trailer === 20 ? 'sha1' : trailer === 32 ? 'sha256' : undefined;
  if (!algorithm) return undefined;
  const digest = createHash(algorithm).update(bytes.subarray(start, at)).digest();
  if (!digest.equals(bytes.subarray(at, end))) return undefined;
  walk.checksum = algorithm;
  return walk;
}
