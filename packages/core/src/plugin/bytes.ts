/**
 * Bounded byte reads for detectors and parsers: each returns undefined (or
 * false, or '') instead of reading past the end, so a detector never throws
 * on a short probe. The built-in detectors use these same helpers.
 *
 * @example
 * const version = u16le(probe.head, 4); // undefined when the head is shorter than 6 bytes
 */

/** Latin-1 text of bytes [start, end), clamped to the buffer ('' past its end). */
export function ascii(bytes: Uint8Array, start = 0, end: number = bytes.length): string {
  // Clamp both ends: an offset past a short probe must give '' (Buffer.from throws past the ArrayBuffer's end).
  const s = Math.min(Math.max(0, start), bytes.length);
  return Buffer.from(bytes.buffer, bytes.byteOffset + s, Math.max(0, Math.min(end, bytes.length) - s)).toString(
    'latin1',
  );
}

/** Whether the bytes at `at` are `prefix` (a Latin-1 string or bytes). */
export function startsWith(bytes: Uint8Array, prefix: string | Uint8Array, at = 0): boolean {
  const p = typeof prefix === 'string' ? Buffer.from(prefix, 'latin1') : prefix;
  if (at + p.length > bytes.length) return false;
  for (let i = 0; i < p.length; i++) if (bytes[at + i] !== p[i]) return false;
  return true;
}

/** Unsigned 16-bit big-endian integer at `at`, or undefined past the end. */
export function u16be(b: Uint8Array, at: number): number | undefined {
  return at + 2 <= b.length ? (b[at]! << 8) | b[at + 1]! : undefined;
}

/** Unsigned 32-bit big-endian integer at `at`, or undefined past the end. */
export function u32be(b: Uint8Array, at: number): number | undefined {
  return at + 4 <= b.length ? ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]! : undefined;
}

/** Unsigned 16-bit little-endian integer at `at`, or undefined past the end. */
export function u16le(b: Uint8Array, at: number): number | undefined {
  return at + 2 <= b.length ? b[at]! | (b[at + 1]! << 8) : undefined;
}

/** Unsigned 32-bit little-endian integer at `at`, or undefined past the end. */
export function u32le(b: Uint8Array, at: number): number | undefined {
  return at + 4 <= b.length
    ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + ((b[at + 3]! << 24) >>> 0)
    : undefined;
}
